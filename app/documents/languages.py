"""Which words of a question are worth searching for, in the languages users write in.

A question is mostly grammar: "Unter welcher Lizenz wurden die Quellen veröffentlicht?"
carries two words a passage can match ("Lizenz", "veröffentlicht"); "unter", "welcher"
and "wurden" are the question's scaffolding, and a passage that answers it need not
contain them. Counting them as content made every non-English question look unanswered.

So each language has its function words (articles, pronouns, prepositions, conjunctions,
auxiliary and modal verbs, question words, and the verbs questions are built with). The
question's language is told by which list its words hit most, and only that language's
list (with English's, for the English words users mix in) is removed: "van" is a
preposition in Dutch and a vehicle in English, "war" a verb in German and a war in
English, and the words of one language must not vanish from a question in another.

:func:`stem` trims a word's inflection so that "Lizenz" finds "Lizenzen", "freier"
finds "frei" and "reservar" finds "reservan": the keyword index stems only English.
"""

from __future__ import annotations

import re

_LISTS = {
    "en": """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing done down during each either
else ever every few for from further get gets got had has have having he her here hers
him his how however i if in into is it its itself just let like made make many may me
might more most much must my no nor not now of off on once only or other our ours out over
own per please quite rather really same say says said see seem shall she should show so
some such tell than that the their theirs them then there these they this those through
thus to too under until up upon us use used very was we were what whatever when where
whether which while who whom whose why will with within without would yes yet you your
yours document documents file files pdf attached attachment text page pages section
summarize summarise summary explain describe mention mentioned mentions according
""",
    "de": """
der die das des dem den ein eine einer eines einem einen kein keine keiner keines keinem
keinen und oder aber doch sondern denn weil wenn als ob dass daß damit sowie bzw
ich du er sie es wir ihr mich dich sich uns euch mir dir ihm ihnen man mein meine meiner
meinen meinem meines dein deine sein seine seiner seinen seinem seines unser unsere ihre
ihrer ihren ihrem ihres euer eure dies diese dieser dieses diesem diesen jene jener jenes
welche welcher welches welchem welchen wer wen wem wessen was wie wo woher wohin wann
warum weshalb wieso womit wofür worauf worüber wodurch wozu wieviel wievielte
in im ins an am ans auf aus bei beim mit nach seit von vom zu zum zur über unter vor
hinter neben zwischen durch für gegen ohne um bis ab pro je laut gemäß wegen trotz
ist sind war waren bin bist seid wäre wären gewesen sein hat haben hatte hatten habe
hast habt hätte hätten gehabt wird werden wurde wurden würde würden worden geworden
kann können konnte konnten könnte könnten muss müssen musste mussten müsste soll sollen
sollte sollten darf dürfen durfte will wollen wollte möchte möchten mag
gibt gibts geben gab gegeben macht machen bekommt bekommen
nicht auch noch schon nur sehr mehr viel viele vielen wenig etwa ganz so da dann dort
hier jetzt immer wieder denn bitte alle alles jede jeder jedes jeden etwas nichts
ja nein genau eigentlich überhaupt eben gerade
brauche brauchst braucht brauchen hoch lange groß weit oft kostet kosten
dokument dokumente dokumenten datei dateien seite seiten abschnitt text
""",
    "fr": """
le la les l un une des du de d au aux ce cet cette ces mon ma mes ton ta tes son sa ses
notre nos votre vos leur leurs je j tu il elle on nous vous ils elles me m te t se s moi
toi lui eux y en et ou mais donc or ni car que qu qui quoi dont où quand comment pourquoi
combien quel quelle quels quelles lequel laquelle lesquels lesquelles
dans sur sous avec sans pour par vers chez entre depuis pendant avant après jusqu
jusque contre selon à
est sont était étaient été être suis es sommes êtes sera seront serait a ai as avons avez
ont avait avaient eu avoir aura auront aurait peut peuvent pouvez pouvons puis pourrait
pourrais doit doivent dois devez faut fait faire font
ne pas plus moins très aussi encore déjà bien tout tous toute toutes si oui non là
besoin longtemps coûte coûtent taille
document documents fichier page pages texte
""",
    "es": """
el la lo los las un una unos unas al del de y e o u ni pero sino que qué quien quién
quienes quiénes cual cuál cuales cuáles cuando cuándo cuanto cuánto cuanta cuánta cuantos
cuántos cuantas cuántas como cómo donde dónde adonde adónde porque por para con sin sobre
entre hasta desde hacia durante según contra ante bajo tras en a
yo tú tu él ella ello nosotros vosotros ellos ellas usted ustedes me te se nos os le les
mi mis su sus nuestro nuestra este esta esto estos estas ese esa eso esos esas aquel
es son era eran fue fueron ser sido está están estaba estar hay había ha han he has
haber tiene tienen tener puede pueden puedo podemos debe deben hace hacer hay que
no sí si muy más menos también ya todo toda todos todas cada algo nada
necesita necesitan necesito cuesta cuestan tamaño
documento documentos archivo página páginas texto
""",
    "it": """
il lo la i gli le l un uno una del dello della dei degli delle al allo alla ai agli
alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui
sugli sulle di a da in con su per tra fra e ed o ma che chi cui quale quali quanto quanta
quanti quante come dove quando perché cosa
io tu lui lei noi voi loro mi ti si ci vi ne mio mia miei mie suo sua suoi sue nostro
questo questa questi queste quello quella quelli quelle
è sono era erano stato stata essere ho hai ha abbiamo avete hanno avere posso può
possono potere devo deve devono fa fanno fare ci
non sì più meno molto anche già tutto tutti tutte ogni
serve servono bisogno costa costano dimensione
documento documenti file pagina pagine testo
""",
    "nl": """
de het een en of maar want dus dat die dit deze wat wie welk welke waar wanneer hoe
waarom hoeveel hoelang
van in op aan met voor naar bij uit over onder tot door om tegen zonder tussen na
ik jij je u hij zij ze wij we jullie mij me hem haar ons hun mijn jouw zijn uw onze
is zijn was waren ben bent geweest heb hebt heeft hebben had hadden wordt worden werd
werden kan kunnen kon kunt moet moeten mag mogen wil willen zal zullen zou zouden
er niet geen ook nog al wel zeer meer veel alle alles elk elke iets niets
nodig hoog lang groot ver vaak kost kosten grootte
document documenten bestand pagina tekst
""",
    "pt": """
o a os as um uma uns umas do da dos das no na nos nas ao aos à às pelo pela pelos pelas
de em por para com sem sobre entre até desde contra e ou mas que quem qual quais quanto
quanta quantos quantas como onde quando porque porquê
eu tu ele ela nós vós eles elas você vocês me te se lhe lhes meu minha seu sua seus suas
este esta isto estes estas esse essa isso esses essas aquele aquela
é são era eram foi foram ser sido está estão estar há havia tem têm ter pode podem
posso deve devem faz fazer
não sim mais menos muito também já todo toda todos todas cada
precisa precisam preciso custa custam tamanho
documento documentos arquivo ficheiro página páginas texto
""",
}

STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _LISTS.items()}
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words, apostrophes and hyphens splitting them ("l'adhésion" is two)."""
    return [w for w in (m.strip("_") for m in _WORD.findall(text.lower())) if w]


def language(tokens: list[str]) -> str | None:
    """The language whose function words the text uses most (English on a tie, since
    its words are the ones users mix in); None when it uses none.

    Another language needs evidence: two of its words, or one that English never
    writes (a letter outside ASCII: "für", "où", "qué"). One ASCII word is not enough,
    since those lists hold English words too ("war", "hat", "dove", "van"): "War crimes
    tribunal verdict" is English, not German, and must keep its first word."""
    hits = {name: [t for t in tokens if t in stop] for name, stop in STOPWORDS.items()}
    english = len(hits["en"])
    told = {name: len(found) for name, found in hits.items()
            if name != "en" and len(found) > english and _evident(found)}
    if told:
        return max(told, key=lambda name: told[name])
    return "en" if english else None


# What English's contractions leave once apostrophes split words ("it's", "don't",
# "I'd", "I'm"); French elides to the same letters, so they tell no language.
_CONTRACTED = frozenset("sdmt")


def _evident(found: list[str]) -> bool:
    """Whether these function words of one language are enough to tell it."""
    if any(not word.isascii() for word in found):
        return True
    return sum(word not in _CONTRACTED for word in found) >= 2


def content_words(text: str) -> list[str]:
    """The words of ``text`` that are not its language's function words."""
    tokens = words(text)
    found = language(tokens)
    stop = STOPWORDS["en"] | STOPWORDS[found] if found else frozenset()
    return [t for t in tokens if t not in stop]


# Inflectional endings of the supported languages, longest first. Stripping one leaves
# a prefix that the word's other forms share ("reserv" for réserver, réservation,
# reservar, reserviert). Derivational endings are left alone: they change meaning.
_ENDINGS = sorted({
    # German
    "en", "er", "em", "es", "e", "n", "s", "st", "t", "et", "te", "ten", "test", "tet",
    "ern", "ung", "ungen",
    # French (and -e, -es, -s, -er above)
    "ent", "ez", "é", "ée", "és", "ées", "ant", "ons", "ion", "ions",
    # Spanish, Portuguese, Italian
    "o", "a", "os", "as", "i", "ar", "ir", "ado", "ada", "ados", "adas", "ido", "ida",
    "idos", "idas", "ando", "endo", "ción", "ciones", "ção", "ções", "zione", "zioni",
    # Dutch (and -en, -t, -te, -ten above)
    "de", "den",
}, key=len, reverse=True)
MIN_STEM = 4


def stem(word: str) -> str:
    """``word`` without one inflectional ending, keeping at least four letters (the
    word itself when nothing can go)."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word
