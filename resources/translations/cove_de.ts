<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ApiControl</name>
    <message>
        <location filename="../../app/ui/services/api_control.py" line="124" />
        <source>Cove could not open its door for other apps at the address {host} ({detail}). Your conversations are not affected. Check the address in Settings › Other apps; 127.0.0.1 is this computer.</source>
        <translation>Cove konnte unter der Adresse {host} keinen Zugang für andere Programme öffnen ({detail}). Deine Gespräche sind davon nicht betroffen. Prüfe die Adresse unter Einstellungen › Andere Programme; 127.0.0.1 ist dieser Computer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/api_control.py" line="128" />
        <source>Other apps cannot use Cove right now</source>
        <translation>Andere Programme können Cove gerade nicht nutzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/api_control.py" line="118" />
        <source>Port {port} on this computer is taken by another program, so Cove could not open its door for other apps there. Your conversations are not affected. Choose another port in Settings › Other apps, or close the program using it and start Cove again.</source>
        <translation>Port {port} auf diesem Computer wird von einem anderen Programm belegt, daher konnte Cove dort keinen Zugang für andere Programme öffnen. Deine Gespräche sind davon nicht betroffen. Wähle einen anderen Port unter Einstellungen › Andere Programme oder schließe das Programm, das ihn belegt, und starte Cove neu.</translation>
    </message>
</context>
<context>
    <name>ApiRequestsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="33" />
        <source>Requests from other apps</source>
        <translation>Anfragen anderer Programme</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="37" />
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="37" />
        <source>App</source>
        <translation>Programm</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="37" />
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="37" />
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="38" />
        <source>Tokens in</source>
        <translation>Tokens rein</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="38" />
        <source>Tokens out</source>
        <translation>Tokens raus</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="40" />
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="40" />
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="42" />
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="63" />
        <source>No requests yet. When a program uses Cove's model, it is listed here.</source>
        <translation>Noch keine Anfragen. Wenn ein Programm Coves Modell nutzt, steht es hier.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="70" />
        <source>Only time, program, model and token counts are logged.</source>
        <translation>Protokolliert werden nur Zeit, Programm, Modell und Token-Zahlen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="71" />
        <source>What apps asked and got is shown because you chose to log it.</source>
        <translation>Was Programme gefragt und bekommen haben, steht hier, weil du es protokollieren lässt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="76" />
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="88" />
        <source>answered</source>
        <translation>beantwortet</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="88" />
        <source>wrong key</source>
        <translation>falscher Schlüssel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="89" />
        <source>app left</source>
        <translation>Programm hat abgebrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="89" />
        <source>busy</source>
        <translation>ausgelastet</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="91" />
        <source>error {status}</source>
        <translation>Fehler {status}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/api_requests.py" line="92" />
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>ApiServerService</name>
    <message>
        <location filename="../../app/ui/services/api_server.py" line="143" />
        <source>Serving on %1 · requests today: %2</source>
        <translation>Bereitgestellt unter %1 · Anfragen heute: %2</translation>
    </message>
</context>
<context>
    <name>AssistantMessage</name>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="325" />
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="327" />
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="328" />
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="375" />
        <source>Thinking…</source>
        <translation>Denkt nach …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="375" />
        <source>Writing…</source>
        <translation>Schreibt …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="382" />
        <source>Reading your documents… %1 %</source>
        <translation>Liest deine Dokumente … %1 %</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="383" />
        <source>Reading the conversation… %1 %</source>
        <translation>Liest das Gespräch … %1 %</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="386" />
        <source>about %1 min left</source>
        <translation>noch etwa %1 min</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="388" />
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="450" />
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="452" />
        <source>Interrupted: the answer was cut off before it ended.</source>
        <translation>Unterbrochen: Die Antwort brach vor ihrem Ende ab.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="456" />
        <source>The answer failed</source>
        <translation>Die Antwort ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="84" />
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="107" />
        <source>%1 — %2 pages could not be read; the rest can be asked about</source>
        <translation>%1 — %2 Seiten konnten nicht gelesen werden; zum Rest kannst du Fragen stellen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="111" />
        <source>The PDF reader stopped on these pages (the file may be damaged there). Cove kept them as pages without text.</source>
        <translation>Der PDF-Leser ist an diesen Seiten hängen geblieben (die Datei ist dort vielleicht beschädigt). Cove hat sie als Seiten ohne Text behalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="116" />
        <source>%1 is ready: ask about it.</source>
        <translation>%1 ist bereit: Frag danach.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="136" />
        <source>%1 — ready; learning what its passages mean: %2 of %3</source>
        <translation>%1 — bereit; lerne, was die Abschnitte bedeuten: %2 von %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="139" />
        <source>You can ask about it already: Cove finds passages by their words now, and also by their meaning once this is done.</source>
        <translation>Du kannst schon Fragen dazu stellen: Cove findet Abschnitte jetzt über ihre Wörter und, sobald das fertig ist, auch über ihre Bedeutung.</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="227" />
        <source>Attach documents</source>
        <translation>Dokumente anhängen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="228" />
        <source>Documents (*.pdf *.docx *.txt *.md *.html *.htm *.csv *.py *.json);;All files (*)</source>
        <translation>Dokumente (*.pdf *.docx *.txt *.md *.html *.htm *.csv *.py *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="341" />
        <source>Context: documents %1 %, history %2 %, answer %3 %</source>
        <translation>Kontext: Dokumente %1 %, Verlauf %2 %, Antwort %3 %</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="348" />
        <source>How much of the model's context the documents, the conversation and the answer take</source>
        <translation>Wie viel vom Kontext des Modells die Dokumente, das Gespräch und die Antwort belegen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="398" />
        <source>page %1 of %2</source>
        <translation>Seite %1 von %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="399" />
        <source>section %1 of %2</source>
        <translation>Abschnitt %1 von %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="400" />
        <source>part %1 of %2</source>
        <translation>Teil %1 von %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="404" />
        <source>Reading %1 — %2</source>
        <translation>%1 wird gelesen — %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="406" />
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="170" />
        <source>page %1</source>
        <translation>Seite %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="173" />
        <source>pages %1–%2</source>
        <translation>Seiten %1–%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="176" />
        <source>section %1</source>
        <translation>Abschnitt %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="179" />
        <source>line %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="412" />
        <source>“%1” is protected by a password, so Cove can't read it. Save a copy without the password and attach that.</source>
        <translation>„%1“ ist mit einem Passwort geschützt, daher kann Cove die Datei nicht lesen. Speichere eine Kopie ohne Passwort und hänge diese an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="416" />
        <source>“%1” has no text: its pages look like scanned images. Run it through OCR and attach the result.</source>
        <translation>„%1“ enthält keinen Text: Die Seiten sehen wie eingescannte Bilder aus. Lass eine Texterkennung (OCR) darüber laufen und hänge das Ergebnis an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="420" />
        <source>“%1” is empty: there is nothing in it to read.</source>
        <translation>„%1“ ist leer: Es gibt darin nichts zu lesen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="422" />
        <source>“%1” can't be read: the file looks damaged or incomplete.</source>
        <translation>„%1“ kann nicht gelesen werden: Die Datei scheint beschädigt oder unvollständig.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="424" />
        <source>“%1” is a kind of file Cove can't read. Cove reads PDF, Word, HTML, Markdown, text, source code and CSV files.</source>
        <translation>„%1“ ist eine Dateiart, die Cove nicht lesen kann. Cove liest PDF-, Word-, HTML-, Markdown-, Text-, Quellcode- und CSV-Dateien.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="428" />
        <source>“%1” is too large to index. Split it into smaller files.</source>
        <translation>„%1“ ist zu groß zum Indizieren. Teile die Datei in kleinere Dateien auf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="430" />
        <source>“%1” is no longer where it was attached from. Attach it again to read the rest.</source>
        <translation>„%1“ ist nicht mehr dort, von wo die Datei angehängt wurde. Hänge sie erneut an, um den Rest zu lesen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="434" />
        <source>“%1” changed while Cove was reading it. Attach it again.</source>
        <translation>„%1“ wurde geändert, während Cove die Datei las. Hänge sie erneut an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/attachments.py" line="439" />
        <source>“%1” can't be read.</source>
        <translation>„%1“ kann nicht gelesen werden.</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <location filename="../../app/ui/language/wording.py" line="250" />
        <source>OpenAI's open-weight model for laptops: the original MXFP4 weights, converted by the llama.cpp team.</source>
        <translation>Das Open-Weight-Modell von OpenAI für Laptops: die originalen MXFP4-Gewichte, umgewandelt vom llama.cpp-Team.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="253" />
        <source>Unsloth's conversion, with their chat template fixes.</source>
        <translation>Die Umwandlung von Unsloth, mit deren Korrekturen an der Chat-Vorlage.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="255" />
        <source>MXFP4 experts, everything else at 16 bits.</source>
        <translation>MXFP4-Experten, alles andere mit 16 Bit.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="257" />
        <source>bartowski's conversion of the original weights.</source>
        <translation>Die Umwandlung der originalen Gewichte von bartowski.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="259" />
        <source>The large model, for workstations with 80 GB or more of (graphics) memory. Three files, downloaded and used as one.</source>
        <translation>Das große Modell, für Workstations mit 80 GB (Grafik-)Speicher oder mehr. Drei Dateien, als eine heruntergeladen und genutzt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="262" />
        <source>Not a chat model: with it, Cove finds the passages of your documents that answer a question by meaning, not only by their words, in over 100 languages. Keyword search works without it.</source>
        <translation>Kein Chat-Modell: Damit findet Cove die Stellen deiner Dokumente, die eine Frage beantworten, nach ihrer Bedeutung, nicht nur nach ihren Wörtern, in über 100 Sprachen. Die Stichwortsuche funktioniert auch ohne.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="274" />
        <source>%1 (for documents)</source>
        <translation>%1 (für Dokumente)</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../app/ui/chat/chatview.py" line="53" />
        <source>Conversation</source>
        <translation>Gespräch</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <location filename="../../app/ui/chat/markdown_view.py" line="311" />
        <location filename="../../app/ui/chat/markdown_view.py" line="347" />
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/markdown_view.py" line="313" />
        <location filename="../../app/ui/chat/markdown_view.py" line="314" />
        <source>Copy the code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/markdown_view.py" line="322" />
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/markdown_view.py" line="336" />
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/markdown_view.py" line="341" />
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="135" />
        <source>Ask anything</source>
        <translation>Frag etwas</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="136" />
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="138" />
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Eingabe sendet, Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="144" />
        <source>Reasoning effort</source>
        <translation>Denkaufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="146" />
        <source>How long the model thinks before it answers. Low is quickest; high is best for hard problems.</source>
        <translation>Wie lange das Modell nachdenkt, bevor es antwortet. Niedrig ist am schnellsten, hoch am besten für schwierige Aufgaben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="148" />
        <source>Low effort</source>
        <translation>Wenig Aufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="149" />
        <source>Medium effort</source>
        <translation>Mittlerer Aufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="150" />
        <source>High effort</source>
        <translation>Hoher Aufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="170" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="171" />
        <source>Do not send it; put it back in the box</source>
        <translation>Nicht senden, zurück ins Eingabefeld</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="172" />
        <source>Cancel the waiting message</source>
        <translation>Die wartende Nachricht verwerfen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="188" />
        <source>Attach</source>
        <translation>Anhängen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="189" />
        <source>Attach documents to this conversation</source>
        <translation>Dokumente an dieses Gespräch anhängen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="190" />
        <source>Attach documents</source>
        <translation>Dokumente anhängen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="195" />
        <location filename="../../app/ui/chat/composer.py" line="273" />
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="196" />
        <source>Which tools this chat may use</source>
        <translation>Welche Werkzeuge dieser Chat nutzen darf</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="197" />
        <source>Tools for this chat</source>
        <translation>Werkzeuge für diesen Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="274" />
        <source>Tools (%1 off)</source>
        <translation>Werkzeuge (%1 aus)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="299" />
        <source>Stop (Esc)</source>
        <translation>Anhalten (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="303" />
        <source>Send (Enter)</source>
        <translation>Senden (Eingabe)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="345" />
        <source>Waiting to send when the answer ends: %1</source>
        <translation>Wird gesendet, sobald die Antwort fertig ist: %1</translation>
    </message>
</context>
<context>
    <name>ComposerInput</name>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="99" />
        <source>%1 is larger than 2 MB.</source>
        <translation>%1 ist größer als 2 MB.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/composer.py" line="103" />
        <source>%1 is not a text file. For now Cove reads plain text files (.txt, .md, source code); PDF and Word documents are coming.</source>
        <translation>%1 ist keine Textdatei. Cove liest vorerst reine Textdateien (.txt, .md, Quellcode); PDF- und Word-Dokumente folgen.</translation>
    </message>
</context>
<context>
    <name>ComputerDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="453" />
        <location filename="../../app/ui/dialogs/computer.py" line="454" />
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
</context>
<context>
    <name>ComputerPage</name>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="85" />
        <location filename="../../app/ui/dialogs/computer.py" line="128" />
        <location filename="../../app/ui/dialogs/computer.py" line="130" />
        <location filename="../../app/ui/dialogs/computer.py" line="251" />
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="132" />
        <location filename="../../app/ui/dialogs/computer.py" line="133" />
        <source>Copy report</source>
        <translation>Bericht kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="134" />
        <source>Copy everything on this page as text, for a question or a bug report.</source>
        <translation>Alles auf dieser Seite als Text kopieren, für eine Frage oder einen Fehlerbericht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="137" />
        <source>Check again</source>
        <translation>Erneut prüfen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="138" />
        <source>Check the hardware again</source>
        <translation>Hardware erneut prüfen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="145" />
        <location filename="../../app/ui/dialogs/computer.py" line="371" />
        <source>The current model</source>
        <translation>Das aktuelle Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="147" />
        <source>How the model runs</source>
        <translation>So läuft das Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="153" />
        <source>Notes on the plan</source>
        <translation>Hinweise zum Plan</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="161" />
        <source>Speed test</source>
        <translation>Geschwindigkeitstest</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="162" />
        <source>About the speed test</source>
        <translation>Über den Geschwindigkeitstest</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="163" />
        <source>Measures how fast the loaded model reads a prompt (about 300 tokens) and writes an answer (up to 64 tokens) on this computer, with the settings it was loaded with.</source>
        <translation>Misst, wie schnell das geladene Modell auf diesem Computer einen Prompt liest (etwa 300 Token) und eine Antwort schreibt (bis zu 64 Token), mit den Einstellungen, mit denen es geladen wurde.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="87" />
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="89" />
        <source>Run speed test</source>
        <translation>Geschwindigkeit testen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="91" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="92" />
        <source>Cancel the speed test</source>
        <translation>Geschwindigkeitstest abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="96" />
        <source>Speed test progress</source>
        <translation>Fortschritt des Geschwindigkeitstests</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="104" />
        <source>Speed test status</source>
        <translation>Status des Geschwindigkeitstests</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="106" />
        <source>Speed test result</source>
        <translation>Ergebnis des Geschwindigkeitstests</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="119" />
        <source>Earlier speed tests</source>
        <translation>Frühere Geschwindigkeitstests</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="121" />
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="121" />
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="122" />
        <source>Ran on</source>
        <translation>Lief auf</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="122" />
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="123" />
        <source>Generation</source>
        <translation>Generierung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="176" />
        <source>What Cove found</source>
        <translation>Was Cove gefunden hat</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="177" />
        <source>Hardware detection status</source>
        <translation>Status der Hardwareerkennung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="184" />
        <source>Cove's engine</source>
        <translation>Coves Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="259" />
        <location filename="../../app/ui/dialogs/computer.py" line="417" />
        <source>What to do: %1</source>
        <translation>Was zu tun ist: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="276" />
        <location filename="../../app/ui/dialogs/computer.py" line="429" />
        <source>Looking at this computer…</source>
        <translation>Dieser Computer wird untersucht …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="354" />
        <source>Experts kept in RAM:</source>
        <translation>Im RAM gehaltene Experten:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="370" />
        <source>How %1 runs here</source>
        <translation>So läuft %1 hier</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="375" />
        <source>No model is loaded. Open one to see how it runs on this computer.</source>
        <translation>Kein Modell geladen. Öffne eines, um zu sehen, wie es auf diesem Computer läuft.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="378" />
        <source>%1 runs on a server, not on this computer: the plan and the speed test apply to local models only.</source>
        <translation>%1 läuft auf einem Server, nicht auf diesem Computer: Plan und Geschwindigkeitstest gelten nur für lokale Modelle.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="89" />
        <source>Cove had to fall back to this plan.</source>
        <translation>Cove musste auf diesen Plan ausweichen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="90" />
        <source>What did not work:</source>
        <translation>Was nicht geklappt hat:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="103" />
        <location filename="../../app/ui/dialogs/computer_rows.py" line="288" />
        <source>The CPU</source>
        <translation>Die CPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="105" />
        <location filename="../../app/ui/dialogs/computer_rows.py" line="148" />
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="107" />
        <source>All %1 (and the output layer)</source>
        <translation>Alle %1 (und die Ausgabeschicht)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="109" />
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="112" />
        <source>Runs on</source>
        <translation>Läuft auf</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="113" />
        <source>Layers on the GPU</source>
        <translation>Schichten auf der GPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="143" />
        <source>All (the whole model is in RAM)</source>
        <translation>Alle (das ganze Modell liegt im RAM)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="145" />
        <source>Those of %1 of %2 layers</source>
        <translation>Die von %1 der %2 Schichten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="147" />
        <source>Those of %1 layers</source>
        <translation>Die von %1 Schichten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="115" />
        <source>Experts kept in RAM</source>
        <translation>Im RAM gehaltene Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="121" />
        <source>(%1 asked for)</source>
        <translation>(%1 angefordert)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="122" />
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="123" />
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="128" />
        <source>Flash attention</source>
        <translation>Flash Attention</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="126" />
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="127" />
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="131" />
        <source>%1 on the GPU</source>
        <translation>%1 auf der GPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="134" />
        <source>%1 of RAM</source>
        <translation>%1 RAM</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="136" />
        <source>Memory it takes</source>
        <translation>Speicherbedarf</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="191" />
        <source>You chose to run models on the CPU, so your %1 is not used.</source>
        <translation>Du hast eingestellt, dass Modelle auf der CPU laufen, deshalb wird deine %1 nicht genutzt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="193" />
        <source>Set “Use the GPU” back to Automatic in the model settings to make answers faster.</source>
        <translation>Stell „GPU verwenden“ in den Modelleinstellungen wieder auf „Automatisch“, damit Antworten schneller kommen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="199" />
        <source>Cove's engine supports your %1 but could not use it for this model, so it runs on the CPU.</source>
        <translation>Coves Engine unterstützt deine %1, konnte sie für dieses Modell aber nicht nutzen; es läuft deshalb auf der CPU.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="201" />
        <source>If you set the model to run on the CPU, set “Use the GPU” back to Automatic. Otherwise update the graphics driver and restart the computer; the worker log has the details.</source>
        <translation>Falls du das Modell auf die CPU gestellt hast, stell „GPU verwenden“ wieder auf „Automatisch“. Andernfalls aktualisiere den Grafiktreiber und starte den Computer neu; Einzelheiten stehen im Worker-Protokoll.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="405" />
        <source>Why the GPU is not used</source>
        <translation>Warum die GPU nicht genutzt wird</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="416" />
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer.py" line="419" />
        <source>What to do</source>
        <translation>Was zu tun ist</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="217" />
        <source>running under Rosetta</source>
        <translation>läuft unter Rosetta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="219" />
        <source>%1 (%2 performance cores)</source>
        <translation>%1 (%2 Leistungskerne)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="222" />
        <source>%1 physical, %2 logical</source>
        <translation>%1 physisch, %2 logisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="226" />
        <source>%1 in all, %2 available now</source>
        <translation>%1 insgesamt, %2 derzeit verfügbar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="229" />
        <source>%1 in all</source>
        <translation>%1 insgesamt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="231" />
        <source>(the limit this container allows)</source>
        <translation>(die Grenze dieses Containers)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="233" />
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="234" />
        <source>Processor</source>
        <translation>Prozessor</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="235" />
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="236" />
        <source>Cores</source>
        <translation>Kerne</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="237" />
        <source>Instruction sets</source>
        <translation>Befehlssätze</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="238" />
        <source>None reported</source>
        <translation>Keine gemeldet</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="239" />
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="240" />
        <source>Graphics</source>
        <translation>Grafik</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="240" />
        <source>None found</source>
        <translation>Keine gefunden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="246" />
        <source>Found in %1 ms.</source>
        <translation>In %1 ms ermittelt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="249" />
        <source>Some checks gave no answer: %1</source>
        <translation>Einige Prüfungen blieben ohne Antwort: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="259" />
        <source>%1: unified memory, shares the %2 of RAM (up to %3 for the model)</source>
        <translation>%1: gemeinsamer Speicher, teilt sich die %2 RAM (bis zu %3 für das Modell)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="266" />
        <source>(%1 free)</source>
        <translation>(%1 frei)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="270" />
        <source>shares the RAM</source>
        <translation>teilt sich den RAM</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="272" />
        <source>driver %1</source>
        <translation>Treiber %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="274" />
        <source>CUDA %1</source>
        <translation>CUDA %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="281" />
        <source>Not known yet: Cove asks the engine when it loads a model</source>
        <translation>Noch unbekannt: Cove fragt die Engine, wenn sie ein Modell lädt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="283" />
        <location filename="../../app/ui/dialogs/computer_rows.py" line="287" />
        <source>Can use</source>
        <translation>Kann nutzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="289" />
        <source>GPU offload</source>
        <translation>GPU-Auslagerung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="285" />
        <source>Built in</source>
        <translation>Eingebaut</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="286" />
        <source>Not built in: this engine runs on the CPU only</source>
        <translation>Nicht eingebaut: Diese Engine läuft nur auf der CPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_rows.py" line="291" />
        <source>In use now</source>
        <translation>Derzeit genutzt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="186" />
        <source>Waiting for the model…</source>
        <translation>Warte auf das Modell …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="202" />
        <source>Cancelling…</source>
        <translation>Wird abgebrochen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="211" />
        <source>Reading the test prompt…</source>
        <translation>Liest den Testprompt …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="214" />
        <source>Writing: %1 of %2 tokens</source>
        <translation>Schreibt: %1 von %2 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="224" />
        <source>The result could not be saved: %1</source>
        <translation>Das Ergebnis konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="240" />
        <source>Speed test cancelled.</source>
        <translation>Geschwindigkeitstest abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="241" />
        <source>The speed test failed: %1</source>
        <translation>Der Geschwindigkeitstest ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="262" />
        <source>Load a model to test its speed.</source>
        <translation>Lade ein Modell, um seine Geschwindigkeit zu testen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="264" />
        <source>The speed test measures models that run on this computer.</source>
        <translation>Der Geschwindigkeitstest misst Modelle, die auf diesem Computer laufen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="267" />
        <source>The speed test can run once the answer is written.</source>
        <translation>Der Geschwindigkeitstest kann laufen, sobald die Antwort fertig ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="302" />
        <source>tokens/s reading the prompt</source>
        <translation>Token/s beim Lesen der Eingabe</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="303" />
        <source>tokens/s writing the answer</source>
        <translation>Token/s beim Schreiben der Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="274" />
        <source>on the CPU</source>
        <translation>auf der CPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="276" />
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="277" />
        <source>Measured %1 with %2 %3, one thread.</source>
        <translation>Gemessen am %1 mit %2 %3, ein Thread.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="278" />
        <source>Measured %1 with %2 %3, %4 threads.</source>
        <translation>Gemessen am %1 mit %2 %3, %4 Threads.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="283" />
        <source>The model stopped after %1 tokens.</source>
        <translation>Das Modell hörte nach %1 Token auf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="290" />
        <source>Speed test: %1 tokens/s reading the prompt, %2 tokens/s writing the answer.</source>
        <translation>Geschwindigkeitstest: %1 Token/s beim Lesen des Prompts, %2 Token/s beim Schreiben der Antwort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed.py" line="265" />
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/computer_speed_panel.py" line="274" />
        <source>%1 tok/s</source>
        <translation>%1 Token/s</translation>
    </message>
</context>
<context>
    <name>ConversationToolShelf</name>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="166" />
        <location filename="../../app/ui/services/conversation_tools.py" line="184" />
        <source>Save file</source>
        <translation>Datei speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="177" />
        <source>%1 is no longer in this chat's files (a later run may have removed it).</source>
        <translation>%1 ist nicht mehr unter den Dateien dieses Chats (ein späterer Lauf hat die Datei vielleicht entfernt).</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="180" />
        <source>%1 could not be saved: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="202" />
        <source>Search my documents</source>
        <translation>Meine Dokumente durchsuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="204" />
        <source>Run Python code</source>
        <translation>Python-Code ausführen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="206" />
        <source>Web search (leaves this computer)</source>
        <translation>Websuche (verlässt diesen Computer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="211" />
        <source>MCP server %1</source>
        <translation>MCP-Server %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="217" />
        <source>MCP server %1 could not start: %2</source>
        <translation>MCP-Server %1 konnte nicht starten: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/conversation_tools.py" line="232" />
        <source>%1: without asking</source>
        <translation>%1: ohne Nachfrage</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="90" />
        <location filename="../../app/ui/chat/conversation_view.py" line="127" />
        <location filename="../../app/ui/chat/conversation_view.py" line="353" />
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="203" />
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="303" />
        <source>Delete message</source>
        <translation>Nachricht löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="304" />
        <source>Delete this message and everything after it in this branch? This cannot be undone.</source>
        <translation>Diese Nachricht und alles danach in diesem Zweig löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="326" />
        <source>The answer could not be started</source>
        <translation>Die Antwort konnte nicht gestartet werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="328" />
        <source>The answer is not being saved</source>
        <translation>Die Antwort wird nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="373" />
        <source>%1 earlier message(s) no longer fit in the model's context and were left out of this answer.</source>
        <translation>%1 frühere Nachricht(en) passen nicht mehr in den Kontext des Modells und blieben bei dieser Antwort außen vor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="381" />
        <source>The answer could not be saved</source>
        <translation>Die Antwort konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_view.py" line="460" />
        <source>The history could not be changed</source>
        <translation>Der Verlauf konnte nicht geändert werden</translation>
    </message>
</context>
<context>
    <name>DataPlace</name>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="47" />
        <source>Where your data lives</source>
        <translation>Wo deine Daten liegen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="54" />
        <source>Export everything…</source>
        <translation>Alles exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="56" />
        <source>Your conversations (Cove JSON, which Cove can import), the text of your documents and the python tool's files, in a new folder where you choose. The folder is not encrypted: keep it somewhere safe.</source>
        <translation>Deine Gespräche (Cove-JSON, das Cove wieder importieren kann), der Text deiner Dokumente und die Dateien des Python-Werkzeugs, in einem neuen Ordner, den du wählst. Der Ordner ist nicht verschlüsselt: Bewahre ihn sicher auf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="60" />
        <source>Forget everything…</source>
        <translation>Alles vergessen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="62" />
        <source>Erase all conversations, documents, pasted texts and the key, then start again with an empty history.</source>
        <translation>Alle Gespräche, Dokumente, eingefügten Texte und den Schlüssel löschen und mit einem leeren Verlauf neu beginnen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="71" />
        <source>Protection:</source>
        <translation>Schutz:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="72" />
        <source>Key:</source>
        <translation>Schlüssel:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="73" />
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="83" />
        <source>Encrypted on this disk (SQLCipher, AES-256): your conversations and documents cannot be read without the key.</source>
        <translation>Auf dieser Festplatte verschlüsselt (SQLCipher, AES-256): Deine Gespräche und Dokumente lassen sich ohne den Schlüssel nicht lesen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="86" />
        <source>Not encrypted: you chose to keep your history unencrypted. Anyone who can open this folder can read it.</source>
        <translation>Nicht verschlüsselt: Du hast entschieden, deinen Verlauf unverschlüsselt zu lassen. Wer diesen Ordner öffnen kann, kann ihn lesen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="88" />
        <source>Not encrypted.</source>
        <translation>Nicht verschlüsselt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="92" />
        <source>From your passphrase. Cove does not keep it; without it the history cannot be opened.</source>
        <translation>Aus deiner Passphrase. Cove speichert sie nicht; ohne sie lässt sich der Verlauf nicht öffnen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="95" />
        <source>None.</source>
        <translation>Keiner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="96" />
        <source>In the OS keyring as “%1 / %2” (%3). You never type it.</source>
        <translation>Im Schlüsselbund des Systems als „%1 / %2“ (%3). Du musst ihn nie eingeben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="102" />
        <source>Forget everything?</source>
        <translation>Alles vergessen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="103" />
        <source>Cove will erase all your conversations, attached documents and pasted texts, and the key that opens them. Models and settings stay. Export everything first if you want a copy.</source>
        <translation>Cove löscht alle deine Gespräche, angehängten Dokumente und eingefügten Texte sowie den Schlüssel, der sie öffnet. Modelle und Einstellungen bleiben. Exportiere vorher alles, wenn du eine Kopie willst.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="106" />
        <source>Continue…</source>
        <translation>Weiter …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="109" />
        <source>Erase your history for good?</source>
        <translation>Deinen Verlauf endgültig löschen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="110" />
        <source>This cannot be undone. Cove closes, overwrites the files before removing them, and starts again with an empty history.</source>
        <translation>Das lässt sich nicht rückgängig machen. Cove schließt sich, überschreibt die Dateien, bevor es sie entfernt, und startet mit einem leeren Verlauf neu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="112" />
        <source>Forget everything</source>
        <translation>Alles vergessen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/data_place.py" line="120" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>DownloadList</name>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="483" />
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="377" />
        <source>Download progress of %1</source>
        <translation>Downloadfortschritt von %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="384" />
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="384" />
        <source>Pause the download</source>
        <translation>Download pausieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="386" />
        <location filename="../../app/ui/services/model_downloads.py" line="443" />
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="387" />
        <source>Resume the download</source>
        <translation>Download fortsetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="389" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="390" />
        <source>Cancel the download and delete its partial file</source>
        <translation>Download abbrechen und die unvollständige Datei löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="392" />
        <source>Remove from the list</source>
        <translation>Aus der Liste entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="443" />
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="463" />
        <source>Cancel the download?</source>
        <translation>Download abbrechen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="464" />
        <source>Cancel the download of %1? The %2 downloaded so far will be deleted. Pause keeps them instead.</source>
        <translation>Den Download von %1 abbrechen? Die bisher heruntergeladenen %2 werden gelöscht. „Pausieren“ behält sie dagegen.</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="295" />
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="298" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="299" />
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="307" />
        <source> (part %1 of %2)</source>
        <translation> (Teil %1 von %2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="309" />
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="313" />
        <source>Waiting for the download before it</source>
        <translation>Wartet auf den vorherigen Download</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="316" />
        <source>Paused in an earlier session · %1 downloaded</source>
        <translation>In einer früheren Sitzung pausiert · %1 heruntergeladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="318" />
        <source>Paused · %1 downloaded</source>
        <translation>Pausiert · %1 heruntergeladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="321" />
        <source>Downloaded and verified · %1</source>
        <translation>Heruntergeladen und geprüft · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="324" />
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="326" />
        <source> · %1 kept</source>
        <translation> · %1 behalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="328" />
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="330" />
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt …</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="332" />
        <source>Checking what was already downloaded · %1</source>
        <translation>Bereits Heruntergeladenes wird geprüft · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="335" />
        <source>Verifying the checksum…</source>
        <translation>Prüfsumme wird geprüft …</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="338" />
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="340" />
        <source>about %1 left</source>
        <translation>noch etwa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_downloads.py" line="341" />
        <source>Downloading…</source>
        <translation>Wird heruntergeladen …</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="45" />
        <source>Getting started</source>
        <translation>Erste Schritte</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="49" />
        <source>Private chat, on this computer</source>
        <translation>Privat chatten, auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="52" />
        <source>Cove runs OpenAI's open-weight gpt-oss models on your own machine. Nothing you write leaves it, and it works without the internet.</source>
        <translation>Cove führt die offenen gpt-oss-Modelle von OpenAI auf deinem eigenen Rechner aus. Nichts, was du schreibst, verlässt ihn, und es funktioniert ohne Internet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="96" />
        <source>Loading %1…</source>
        <translation>%1 wird geladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="102" />
        <source>Loading</source>
        <translation>Wird geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="111" />
        <source>%1 is ready. Try one of these, or write your own:</source>
        <translation>%1 ist bereit. Probier eines davon oder schreib selbst etwas:</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="115" />
        <source>Explain how a rainbow forms, step by step.</source>
        <translation>Erkläre Schritt für Schritt, wie ein Regenbogen entsteht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="116" />
        <source>Write a Python palindrome check, with tests.</source>
        <translation>Schreib eine Palindrom-Prüfung in Python, mit Tests.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="117" />
        <source>Plan three days in Lisbon on a small budget.</source>
        <translation>Plane drei Tage in Lissabon mit kleinem Budget.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="118" />
        <source>Summarise the pros and cons of remote work in a table.</source>
        <translation>Fasse Vor- und Nachteile von Homeoffice in einer Tabelle zusammen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="126" />
        <source>Open a model…</source>
        <translation>Modell öffnen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="128" />
        <source>Open a model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="131" />
        <source>Download a model…</source>
        <translation>Ein Modell herunterladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="132" />
        <source>Download a model</source>
        <translation>Ein Modell herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="143" />
        <source>No model yet? gpt-oss-20b (12 GB) runs on a laptop with 16 GB of memory: Download a model shows it, with what fits this computer.</source>
        <translation>Noch kein Modell? gpt-oss-20b (12 GB) läuft auf einem Laptop mit 16 GB Speicher: „Ein Modell herunterladen“ zeigt es, und was zu diesem Computer passt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="79" />
        <source>Reasoning you can read</source>
        <translation>Nachvollziehbares Denken</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="80" />
        <source>See how the model thinks, choose low, medium or high effort, and press Answer now when it has thought enough.</source>
        <translation>Sieh, wie das Modell denkt, wähle wenig, mittleren oder hohen Aufwand und drücke „Jetzt antworten“, wenn es genug nachgedacht hat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="82" />
        <source>Bring your text</source>
        <translation>Eigene Texte</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="83" />
        <source>Drop a text file or paste a long document into the message box; drop a .gguf file to open that model.</source>
        <translation>Zieh eine Textdatei ins Nachrichtenfeld oder füge ein langes Dokument ein; eine .gguf-Datei öffnet dieses Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="85" />
        <source>Never lose a chat</source>
        <translation>Kein Chat geht verloren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/empty.py" line="86" />
        <source>Every conversation is saved as it is written, and Ctrl+K searches them all.</source>
        <translation>Jedes Gespräch wird schon beim Schreiben gespeichert, und Strg+K durchsucht alle.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="52" />
        <location filename="../../app/ui/language/user_errors.py" line="100" />
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="53" />
        <source>Open Settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="54" />
        <source>Choose another model…</source>
        <translation>Anderes Modell wählen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="63" />
        <source>The model needs more memory than this computer has free. Your conversation is safe. Choose a shorter context in Settings, close other apps, or use a smaller model.</source>
        <translation>Das Modell braucht mehr Arbeitsspeicher, als dieser Computer frei hat. Dein Gespräch ist sicher. Wähle in den Einstellungen einen kürzeren Kontext, schließe andere Programme oder nimm ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="69" />
        <source>Not enough memory</source>
        <translation>Nicht genug Arbeitsspeicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="73" />
        <source>What was already written is saved. Cove is starting the model again; then you can try once more.</source>
        <translation>Was schon geschrieben war, ist gespeichert. Cove startet das Modell neu; danach kannst du es noch einmal versuchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="76" />
        <source>The model stopped unexpectedly</source>
        <translation>Das Modell wurde unerwartet beendet</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="79" />
        <source>Check that the file is a complete GGUF model, or choose another one.</source>
        <translation>Prüfe, ob die Datei ein vollständiges GGUF-Modell ist, oder wähle ein anderes.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="81" />
        <source>The model could not be loaded</source>
        <translation>Das Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="85" />
        <source>No model is loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="86" />
        <source>Open a model to get an answer. Your message is saved.</source>
        <translation>Öffne ein Modell, um eine Antwort zu bekommen. Deine Nachricht ist gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="87" />
        <source>Open a model…</source>
        <translation>Modell öffnen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="89" />
        <source>Shorten the message, or choose a longer context in Settings.</source>
        <translation>Kürze die Nachricht oder wähle in den Einstellungen einen längeren Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="91" />
        <source>The message does not fit in the context</source>
        <translation>Die Nachricht passt nicht in den Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="93" />
        <source>The answer failed</source>
        <translation>Die Antwort ist fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="99" />
        <source>Servers…</source>
        <translation>Server…</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="102" />
        <source>Check that the server is running and that its address is right. Your conversation is safe.</source>
        <translation>Prüfe, ob der Server läuft und seine Adresse stimmt. Dein Gespräch ist sicher.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="104" />
        <source>The server cannot be reached</source>
        <translation>Der Server ist nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="107" />
        <source>The server's certificate is not trusted, so nothing was sent. Check the address, or add your organisation's certificate.</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut, daher wurde nichts gesendet. Prüfe die Adresse oder füge das Zertifikat deiner Organisation hinzu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="110" />
        <source>The server's identity could not be verified</source>
        <translation>Die Identität des Servers konnte nicht geprüft werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="113" />
        <source>The server refused the API key (401). Enter the right key in Servers.</source>
        <translation>Der Server hat den API-Schlüssel abgelehnt (401). Gib unter „Server“ den richtigen Schlüssel ein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="115" />
        <source>The API key was refused</source>
        <translation>Der API-Schlüssel wurde abgelehnt</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="119" />
        <source>The server asks to wait %1 seconds before the next request.</source>
        <translation>Der Server bittet, %1 Sekunden bis zur nächsten Anfrage zu warten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="123" />
        <source>The server asks to wait a little before the next request.</source>
        <translation>Der Server bittet, vor der nächsten Anfrage etwas zu warten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="125" />
        <source>The server is busy</source>
        <translation>Der Server ist ausgelastet</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="128" />
        <source>The server stopped sending. What was already written is kept and marked interrupted.</source>
        <translation>Der Server sendet nicht mehr. Was schon geschrieben war, bleibt erhalten und ist als unterbrochen markiert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="130" />
        <source>The server stopped answering</source>
        <translation>Der Server antwortet nicht mehr</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="133" />
        <source>The connection was lost in the middle of the answer. What was already written is kept and marked interrupted.</source>
        <translation>Die Verbindung ist mitten in der Antwort abgebrochen. Was schon geschrieben war, bleibt erhalten und ist als unterbrochen markiert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="136" />
        <source>The connection to the server was lost</source>
        <translation>Die Verbindung zum Server ist abgebrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="139" />
        <source>Choose one of the server's models in Servers.</source>
        <translation>Wähle unter „Server“ eines der Modelle des Servers.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="140" />
        <source>The server has no such model</source>
        <translation>Der Server hat dieses Modell nicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="143" />
        <source>Plain http to another computer can be read on the network. Confirm it in Servers, or use https.</source>
        <translation>Unverschlüsseltes http zu einem anderen Computer kann im Netzwerk mitgelesen werden. Bestätige es unter „Server“ oder verwende https.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="145" />
        <source>The address is not secure</source>
        <translation>Die Adresse ist nicht sicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/user_errors.py" line="148" />
        <source>The server could not answer</source>
        <translation>Der Server konnte nicht antworten</translation>
    </message>
</context>
<context>
    <name>HistoryFiles</name>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="79" />
        <source>The conversation could not be exported</source>
        <translation>Das Gespräch konnte nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="86" />
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="87" />
        <location filename="../../app/ui/services/history_files.py" line="127" />
        <location filename="../../app/ui/services/history_files.py" line="207" />
        <source>Cove JSON (*.json)</source>
        <translation>Cove-JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="89" />
        <source>Markdown with the model's reasoning (*.md)</source>
        <translation>Markdown mit dem Gedankengang des Modells (*.md)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="91" />
        <location filename="../../app/ui/services/history_files.py" line="126" />
        <source>Cove JSON with the model's reasoning (*.json)</source>
        <translation>Cove-JSON mit dem Gedankengang des Modells (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="95" />
        <source>Conversation</source>
        <translation>Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="96" />
        <source>Export conversation</source>
        <translation>Gespräch exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="116" />
        <source>The conversations could not be exported</source>
        <translation>Die Gespräche konnten nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="123" />
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="124" />
        <source>There are no conversations yet.</source>
        <translation>Es gibt noch keine Gespräche.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="129" />
        <source>Export all conversations</source>
        <translation>Alle Gespräche exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="146" />
        <source>Export everything into</source>
        <translation>Alles exportieren nach</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="155" />
        <source>Your data could not be exported</source>
        <translation>Deine Daten konnten nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="156" />
        <source>Cove could not write into “%1”: %2. Nothing was left there; choose another folder and try again.</source>
        <translation>Cove konnte nicht in „%1“ schreiben: %2. Dort ist nichts zurückgeblieben; wähle einen anderen Ordner und versuch es noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="160" />
        <source>Everything is exported</source>
        <translation>Alles ist exportiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="161" />
        <source>Your conversations, the text of your documents and the python tool's files are in “%1”. The folder is not encrypted: keep it somewhere safe.</source>
        <translation>Deine Gespräche, der Text deiner Dokumente und die Dateien des Python-Werkzeugs liegen in „%1“. Der Ordner ist nicht verschlüsselt: Bewahre ihn sicher auf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="197" />
        <source>Cove could not write “%1”: %2. Nothing was changed there; choose another folder and try again.</source>
        <translation>Cove konnte „%1“ nicht schreiben: %2. Dort wurde nichts verändert; wähle einen anderen Ordner und versuche es noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="206" />
        <source>Import conversations</source>
        <translation>Gespräche importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="207" />
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="213" />
        <source>The file could not be imported</source>
        <translation>Die Datei konnte nicht importiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="214" />
        <source>Nothing was imported.</source>
        <translation>Es wurde nichts importiert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="218" />
        <source>Cove could not read “%1”: %2.</source>
        <translation>Cove konnte „%1“ nicht lesen: %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="225" />
        <source>“%1” is not a file exported by Cove: it does not hold valid JSON text.</source>
        <translation>„%1“ ist keine von Cove exportierte Datei: Sie enthält keinen gültigen JSON-Text.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="233" />
        <source>“%1” is not a conversation exported by Cove, or it was changed since.</source>
        <translation>„%1“ ist kein von Cove exportiertes Gespräch, oder die Datei wurde seitdem verändert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="241" />
        <source>Nothing to import</source>
        <translation>Nichts zu importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="242" />
        <source>“%1” holds no conversations.</source>
        <translation>„%1“ enthält keine Gespräche.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="244" />
        <source>Conversations imported</source>
        <translation>Gespräche importiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/history_files.py" line="245" />
        <source>%1 conversations were added to your history.</source>
        <translation>%1 Gespräche wurden deinem Verlauf hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>HistoryStart</name>
    <message>
        <location filename="../../app/ui/app.py" line="153" />
        <source>Cove could not open your history. What went wrong is written in the log file, cove.log.</source>
        <translation>Cove konnte deinen Verlauf nicht öffnen. Was schiefging, steht in der Protokolldatei cove.log.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/window.py" line="183" />
        <source>Models…</source>
        <translation>Modelle…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="185" />
        <source>Tools…</source>
        <translation>Werkzeuge …</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="186" />
        <source>This computer…</source>
        <translation>Dieser Computer…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="187" />
        <source>Get started…</source>
        <translation>Erste Schritte…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="200" />
        <source>That file cannot be used</source>
        <translation>Diese Datei kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="184" />
        <source>Servers…</source>
        <translation>Server…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="93" />
        <source>Opening your history…</source>
        <translation>Dein Verlauf wird geöffnet …</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="361" />
        <source>Quit Cove?</source>
        <translation>Cove beenden?</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="362" />
        <source>An answer is being written. If you quit now it stops; what is written so far is kept, marked as stopped.</source>
        <translation>Gerade wird eine Antwort geschrieben. Wenn du jetzt beendest, bricht sie ab; was bisher geschrieben ist, bleibt erhalten und wird als abgebrochen markiert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="163" />
        <source>The history was damaged</source>
        <translation>Der Verlauf war beschädigt</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="182" />
        <source>Recommended for this computer</source>
        <translation>Empfohlen für diesen Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="189" />
        <source>%1 · %2 · %3 download · needs about %4 of memory</source>
        <translation>%1 · %2 · %3 Download · braucht etwa %4 Arbeitsspeicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="221" />
        <source>Used for documents</source>
        <translation>Für Dokumente genutzt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="222" />
        <source>%1 is downloaded and used to search documents</source>
        <translation>%1 ist heruntergeladen und wird zum Durchsuchen von Dokumenten genutzt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="226" />
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="227" />
        <source>Use %1</source>
        <translation>%1 verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="230" />
        <source>Downloading…</source>
        <translation>Lädt herunter …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="230" />
        <source>%1 is downloading</source>
        <translation>%1 wird heruntergeladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="234" />
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="234" />
        <source>Resume the download of %1</source>
        <translation>Download von %1 fortsetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="237" />
        <source>Download (%1)</source>
        <translation>Herunterladen (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="238" />
        <source>Download %1 (%2)</source>
        <translation>%1 herunterladen (%2)</translation>
    </message>
</context>
<context>
    <name>ModelControl</name>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="96" />
        <source>Open a model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="96" />
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="104" />
        <location filename="../../app/ui/services/model_control.py" line="126" />
        <source>An answer is being written</source>
        <translation>Eine Antwort wird gerade geschrieben</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="105" />
        <source>Stop it first, then open the other model.</source>
        <translation>Halte sie zuerst an, dann öffne das andere Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="127" />
        <source>Stop it first, then choose the server.</source>
        <translation>Beende sie zuerst und wähle dann den Server.</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="179" />
        <source>the model</source>
        <translation>das Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="184" />
        <source>Loading the model…</source>
        <translation>Modell wird geladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/services/model_control.py" line="186" />
        <source>Open a model to start.</source>
        <translation>Öffne ein Modell, um zu beginnen.</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="44" />
        <source>%1 of unified memory</source>
        <translation>%1 gemeinsamer Speicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="45" />
        <source>%1 of RAM</source>
        <translation>%1 RAM</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="49" />
        <source>%1 with %2 of graphics memory</source>
        <translation>%1 mit %2 Grafikspeicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="53" />
        <source>no graphics card Cove can use</source>
        <translation>keine Grafikkarte, die Cove nutzen kann</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="55" />
        <source>%1 (%2 cores)</source>
        <translation>%1 (%2 Kerne)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="62" />
        <source>Runs well</source>
        <translation>Läuft gut</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="64" />
        <source>Runs slowly</source>
        <translation>Läuft langsam</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="65" />
        <source>Won't fit</source>
        <translation>Passt nicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="88" />
        <source>Download a model that will not run here?</source>
        <translation>Ein Modell herunterladen, das hier nicht läuft?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="89" />
        <source>%1 will not run on this computer.</source>
        <translation>%1 läuft auf diesem Computer nicht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="93" />
        <source>Download it anyway only to move it to a bigger computer. The download is %1.</source>
        <translation>Lade es nur herunter, wenn du es auf einen größeren Computer bringen willst. Der Download ist %1 groß.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="96" />
        <source>Download anyway</source>
        <translation>Trotzdem herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/model_cards.py" line="98" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="86" />
        <location filename="../../app/ui/dialogs/models_dialog.py" line="87" />
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="102" />
        <source>This computer: %1</source>
        <translation>Dieser Computer: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="106" />
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="108" />
        <source>Model sections</source>
        <translation>Modellbereiche</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="109" />
        <source>On this computer</source>
        <translation>Auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="110" />
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="111" />
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="115" />
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="125" />
        <source>Tip: drop a .gguf file on this window to add it.</source>
        <translation>Tipp: Zieh eine .gguf-Datei auf dieses Fenster, um sie hinzuzufügen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="128" />
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="76" />
        <source>Models on this computer</source>
        <translation>Modelle auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="82" />
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="82" />
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="83" />
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="83" />
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="85" />
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="84" />
        <source>Longest context</source>
        <translation>Längster Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="85" />
        <source>Kept</source>
        <translation>Ablage</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="93" />
        <source>No models on this computer yet. Download one (see the Download tab), or add a GGUF file you already have with “Add a GGUF file…” or by dropping it here.</source>
        <translation>Noch keine Modelle auf diesem Computer. Lade eines herunter (siehe Reiter „Herunterladen“) oder füge eine vorhandene GGUF-Datei hinzu: mit „GGUF-Datei hinzufügen …“ oder indem du sie hierher ziehst.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="105" />
        <source>Selected model</source>
        <translation>Ausgewähltes Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="108" />
        <source>Add a GGUF file…</source>
        <translation>GGUF-Datei hinzufügen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="110" />
        <source>Add a GGUF file you already have</source>
        <translation>Eine vorhandene GGUF-Datei hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="112" />
        <source>Verify</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="113" />
        <source>Verify the selected model</source>
        <translation>Ausgewähltes Modell prüfen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="114" />
        <source>Re-check the file: its structure, and its checksum when it was downloaded</source>
        <translation>Die Datei erneut prüfen: ihre Struktur und, wenn sie heruntergeladen wurde, ihre Prüfsumme</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="118" />
        <source>Delete…</source>
        <translation>Löschen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="119" />
        <source>Delete the selected model</source>
        <translation>Ausgewähltes Modell löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="122" />
        <source>Chat with this model</source>
        <translation>Mit diesem Modell chatten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="124" />
        <source>Chat with the selected model</source>
        <translation>Mit dem ausgewählten Modell chatten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="137" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="141" />
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="155" />
        <source>Models Cove knows, and how each would run on this computer. Sizes are download sizes; Cove checks the free disk space before it starts, and an interrupted download continues where it stopped.</source>
        <translation>Modelle, die Cove kennt, und wie jedes davon auf diesem Computer laufen würde. Die Größen sind Downloadgrößen; Cove prüft vor dem Start den freien Speicherplatz, und ein unterbrochener Download geht dort weiter, wo er aufgehört hat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="193" />
        <source>Cove connects to the internet only when you download a model. Public models need no account; a Hugging Face access token opens gated or private ones.</source>
        <translation>Cove verbindet sich nur mit dem Internet, wenn du ein Modell herunterlädst. Öffentliche Modelle brauchen kein Konto; ein Hugging-Face-Zugriffstoken öffnet zugangsbeschränkte oder private Modelle.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="201" />
        <source>hf_…</source>
        <translation>hf_…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="202" />
        <source>Hugging Face access token</source>
        <translation>Hugging-Face-Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="204" />
        <source>Save token</source>
        <translation>Token speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="205" />
        <source>Save the access token</source>
        <translation>Zugriffstoken speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="207" />
        <source>Remove token</source>
        <translation>Token entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="208" />
        <source>Remove the saved access token</source>
        <translation>Gespeichertes Zugriffstoken entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="217" />
        <source>Token status</source>
        <translation>Token-Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="221" />
        <source>Download server address (mirror)</source>
        <translation>Adresse des Download-Servers (Mirror)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="224" />
        <source>Use this server</source>
        <translation>Diesen Server verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="225" />
        <source>Use this download server</source>
        <translation>Diesen Download-Server verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="234" />
        <source>Leave empty to download from huggingface.co. A mirror must speak the Hugging Face API; new downloads use it.</source>
        <translation>Leer lassen, um von huggingface.co herunterzuladen. Ein Mirror muss die Hugging-Face-API unterstützen; neue Downloads nutzen ihn.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="241" />
        <source>Access &amp;token:</source>
        <translation>Zugriffs&amp;token:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="243" />
        <source>Download &amp;server:</source>
        <translation>Download-&amp;Server:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="162" />
        <source>The models folder could not be read; details are in the log file.</source>
        <translation>Der Modellordner konnte nicht gelesen werden; Einzelheiten stehen in der Protokolldatei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="174" />
        <source>In place</source>
        <translation>Am Originalort</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="175" />
        <source>Cove's folder</source>
        <translation>Coves Ordner</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="231" />
        <source>downloaded from %1</source>
        <translation>heruntergeladen von %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="234" />
        <source>Not a chat model: Cove uses it to search your documents by meaning.</source>
        <translation>Kein Chat-Modell: Cove nutzt es, um deine Dokumente nach Bedeutung zu durchsuchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="257" />
        <source>Add a GGUF model</source>
        <translation>GGUF-Modell hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="258" />
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="272" />
        <source>Copying %1 into Cove's folder…</source>
        <translation>%1 wird in Coves Ordner kopiert …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="273" />
        <source>Checking %1…</source>
        <translation>%1 wird geprüft …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="279" />
        <source>%1 could not be added; details are in the log file.</source>
        <translation>%1 konnte nicht hinzugefügt werden; Einzelheiten stehen in der Protokolldatei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="292" />
        <source>Add a model</source>
        <translation>Modell hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="293" />
        <source>How should Cove keep %1?</source>
        <translation>Wie soll Cove %1 ablegen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="295" />
        <source>Using it where it is takes no extra space, and Cove never deletes your file; it must stay where it is. Copying puts a second copy (%1) in Cove's folder.</source>
        <translation>Am Originalort verwenden braucht keinen zusätzlichen Platz, und Cove löscht deine Datei nie; sie muss aber dort bleiben. Kopieren legt eine zweite Kopie (%1) in Coves Ordner ab.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="299" />
        <source>Use it where it is</source>
        <translation>Am Originalort verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="301" />
        <source>Copy into Cove's folder</source>
        <translation>In Coves Ordner kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="303" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="316" />
        <source>Added %1.</source>
        <translation>%1 hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="332" />
        <source>Remove from the library?</source>
        <translation>Aus der Bibliothek entfernen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="333" />
        <source>Remove %1 from Cove's library? The file itself stays where it is:
%2</source>
        <translation>%1 aus Coves Bibliothek entfernen? Die Datei selbst bleibt, wo sie ist:
%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="337" />
        <source>Delete the model?</source>
        <translation>Modell löschen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="338" />
        <source>Delete %1? This frees %2 of disk space. To use it again you will have to download it again.</source>
        <translation>%1 löschen? Das gibt %2 Speicherplatz frei. Um es wieder zu verwenden, musst du es erneut herunterladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="351" />
        <source>%1 could not be deleted: %2</source>
        <translation>%1 konnte nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="368" />
        <source>Verifying %1…</source>
        <translation>%1 wird überprüft …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/library_page.py" line="374" />
        <source>%1 could not be read; details are in the log file.</source>
        <translation>%1 konnte nicht gelesen werden; Einzelheiten stehen in der Protokolldatei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="360" />
        <source>A token is saved in this computer's keyring (it is never shown or written to a file).</source>
        <translation>Im Schlüsselbund dieses Computers ist ein Token gespeichert (es wird nie angezeigt oder in eine Datei geschrieben).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="362" />
        <source>No token saved. Create one at huggingface.co → Settings → Access Tokens (read access is enough).</source>
        <translation>Kein Token gespeichert. Erstelle eines unter huggingface.co → Settings → Access Tokens (Lesezugriff genügt).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="377" />
        <source>The token was not saved: this computer's keyring is not available. Public models still download without one.</source>
        <translation>Das Token wurde nicht gespeichert: Der Schlüsselbund dieses Computers ist nicht verfügbar. Öffentliche Modelle lassen sich auch ohne Token herunterladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="398" />
        <source>“%1” is not a web address; it looks like https://hf-mirror.example.com</source>
        <translation>„%1“ ist keine Webadresse; eine solche sieht so aus: https://hf-mirror.example.com</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="406" />
        <source>New downloads come from %1.</source>
        <translation>Neue Downloads kommen von %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/models_dialog.py" line="407" />
        <source>New downloads come from huggingface.co.</source>
        <translation>Neue Downloads kommen von huggingface.co.</translation>
    </message>
</context>
<context>
    <name>OtherApps</name>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="44" />
        <source>Other apps</source>
        <translation>Andere Programme</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="45" />
        <source>Let other apps on this computer use Cove</source>
        <translation>Anderen Programmen auf diesem Computer erlauben, Cove zu nutzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="48" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="51" />
        <source>Other computers on your network could then use Cove's model, with the key. Leave 127.0.0.1 to keep it to this computer.</source>
        <translation>Andere Computer in deinem Netzwerk könnten dann Coves Modell nutzen, mit dem Schlüssel. Lass 127.0.0.1 stehen, damit es bei diesem Computer bleibt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="61" />
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="62" />
        <source>Allow apps to switch the model</source>
        <translation>Programmen erlauben, das Modell zu wechseln</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="64" />
        <source>Keep conversations from other apps in the history</source>
        <translation>Gespräche anderer Programme im Verlauf behalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="65" />
        <source>Log what apps ask and get</source>
        <translation>Protokollieren, was Programme fragen und bekommen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="68" />
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="69" />
        <source>Made when the API is first switched on</source>
        <translation>Wird erzeugt, wenn die API zum ersten Mal eingeschaltet wird</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="70" />
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="71" />
        <source>Copy the API key</source>
        <translation>API-Schlüssel kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="73" />
        <source>New key</source>
        <translation>Neuer Schlüssel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="74" />
        <source>Replace the key now: programs using the old one are refused until they are given the new one.</source>
        <translation>Den Schlüssel jetzt ersetzen: Programme mit dem alten werden abgewiesen, bis sie den neuen bekommen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="81" />
        <source>Programs send this key with each request (Authorization: Bearer KEY). It is kept in the system's keyring, not in a file.</source>
        <translation>Programme senden diesen Schlüssel mit jeder Anfrage (Authorization: Bearer KEY). Er liegt im Schlüsselbund des Systems, nicht in einer Datei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="86" />
        <source>Requests…</source>
        <translation>Anfragen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="87" />
        <source>When which program used Cove, and how many tokens</source>
        <translation>Wann welches Programm Cove genutzt hat, und wie viele Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="92" />
        <source>A&amp;ddress:</source>
        <translation>A&amp;dresse:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="94" />
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="96" />
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/other_apps.py" line="141" />
        <source>New key made: the old one no longer works. Give the new one to the programs that use Cove.</source>
        <translation>Neuer Schlüssel erstellt: Der alte gilt nicht mehr. Gib den neuen den Programmen, die Cove nutzen.</translation>
    </message>
</context>
<context>
    <name>PlanSettings</name>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="53" />
        <source>How the model runs</source>
        <translation>So läuft das Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="59" />
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="62" />
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="63" />
        <source>How much of the conversation the model sees at once. Longer needs more memory.</source>
        <translation>Wie viel vom Gespräch das Modell auf einmal sieht. Länger braucht mehr Speicher.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="65" />
        <source>Automatic (as long as fits)</source>
        <translation>Automatisch (so lang, wie es passt)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="70" />
        <source>Use the GPU</source>
        <translation>GPU verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="71" />
        <location filename="../../app/ui/dialogs/plan_settings.py" line="100" />
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="72" />
        <source>Off: run on the CPU only</source>
        <translation>Aus: nur auf der CPU rechnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="78" />
        <location filename="../../app/ui/dialogs/plan_settings.py" line="87" />
        <source> layers</source>
        <translation> Schichten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="79" />
        <source>Layers on the GPU</source>
        <translation>Schichten auf der GPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="81" />
        <source>How many of the model's layers run on the graphics card; the rest run on the CPU. The largest number also puts the output layer there.</source>
        <translation>Wie viele Schichten des Modells auf der Grafikkarte laufen; der Rest läuft auf der CPU. Die höchste Zahl legt auch die Ausgabeschicht dorthin.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="88" />
        <source>Layers whose experts stay in RAM</source>
        <translation>Schichten, deren Experten im RAM bleiben</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="90" />
        <source>gpt-oss is a mixture-of-experts model: keeping the experts of some layers in RAM lets it run on a graphics card with little memory. 0 keeps none there.</source>
        <translation>gpt-oss ist ein Mixture-of-Experts-Modell: Bleiben die Experten einiger Schichten im RAM, läuft es auch auf einer Grafikkarte mit wenig Speicher. 0 behält keine dort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="96" />
        <source>CPU threads</source>
        <translation>CPU-Threads</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="99" />
        <source>Flash attention</source>
        <translation>Flash Attention</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="100" />
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="104" />
        <source>Memory for the context</source>
        <translation>Speicher für den Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="105" />
        <source>Full precision</source>
        <translation>Volle Genauigkeit</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="106" />
        <source>Half the memory (8-bit)</source>
        <translation>Halber Speicher (8 Bit)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="107" />
        <source>A quarter of the memory (4-bit)</source>
        <translation>Ein Viertel des Speichers (4 Bit)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="110" />
        <source>How the model keeps the conversation in memory (its KV cache). Smaller leaves room for a longer context, at a small cost in quality; it turns flash attention on.</source>
        <translation>Wie das Modell das Gespräch im Speicher hält (sein KV-Cache). Kleiner lässt Platz für einen längeren Kontext, kostet aber etwas Qualität; Flash Attention wird dabei eingeschaltet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="115" />
        <source>&amp;Context length:</source>
        <translation>&amp;Kontextlänge:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="116" />
        <source>Use the &amp;GPU:</source>
        <translation>&amp;GPU verwenden:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="117" />
        <source>&amp;Layers on the GPU:</source>
        <translation>&amp;Schichten auf der GPU:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="118" />
        <source>&amp;Experts kept in RAM:</source>
        <translation>Im RAM gehaltene &amp;Experten:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="119" />
        <source>CPU &amp;threads:</source>
        <translation>CPU-&amp;Threads:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="120" />
        <source>&amp;Flash attention:</source>
        <translation>&amp;Flash Attention:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="121" />
        <source>Context &amp;memory:</source>
        <translation>Kontext&amp;speicher:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="125" />
        <source>What these settings do</source>
        <translation>Was diese Einstellungen bewirken</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="126" />
        <source>Let Cove decide everything</source>
        <translation>Cove alles entscheiden lassen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="127" />
        <source>Reset to automatic</source>
        <translation>Auf automatisch zurücksetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="129" />
        <source>Saving a change loads the open model again with it; while an answer is being written, at the next load.</source>
        <translation>Beim Speichern wird das geöffnete Modell mit der Änderung neu geladen; während eine Antwort geschrieben wird, beim nächsten Laden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="211" />
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="237" />
        <source>This model has no experts.</source>
        <translation>Dieses Modell hat keine Experten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/plan_settings.py" line="248" />
        <source>With these settings: %1</source>
        <translation>Mit diesen Einstellungen: %1</translation>
    </message>
</context>
<context>
    <name>ProseBlock</name>
    <message>
        <location filename="../../app/ui/chat/markdown_view.py" line="278" />
        <source>Answer text</source>
        <translation>Antworttext</translation>
    </message>
</context>
<context>
    <name>Protection</name>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="23" />
        <source>Protect your history</source>
        <translation>Deinen Verlauf schützen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="23" />
        <source>Cove keeps your conversations and documents encrypted, with the key in your system's keyring, but the keyring cannot be used now. You can protect the history with a passphrase you type at each start, or keep it unencrypted on this computer.</source>
        <translation>Cove speichert deine Unterhaltungen und Dokumente verschlüsselt, mit dem Schlüssel im Schlüsselbund deines Systems – doch der Schlüsselbund kann gerade nicht benutzt werden. Du kannst den Verlauf mit einer Passphrase schützen, die du bei jedem Start eingibst, oder ihn unverschlüsselt auf diesem Computer behalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="30" />
        <source>Use a passphrase…</source>
        <translation>Passphrase verwenden …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="31" />
        <source>Keep unencrypted</source>
        <translation>Unverschlüsselt lassen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="33" />
        <location filename="../../app/ui/dialogs/protection.py" line="60" />
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="39" />
        <source>Enter the passphrase of your history:</source>
        <translation>Gib die Passphrase deines Verlaufs ein:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="41" />
        <source>The passphrase was wrong. Enter it again:</source>
        <translation>Die Passphrase war falsch. Gib sie noch einmal ein:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="43" />
        <source>Choose a passphrase for your history (you will need it at each start; it cannot be recovered):</source>
        <translation>Wähle eine Passphrase für deinen Verlauf (du brauchst sie bei jedem Start; sie kann nicht wiederhergestellt werden):</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="45" />
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="54" />
        <source>Unlock your keyring</source>
        <translation>Schlüsselbund entsperren</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="54" />
        <source>Your keyring is locked or unavailable: unlock it and try again. Cove keeps the key to your encrypted history there.</source>
        <translation>Dein Schlüsselbund ist gesperrt oder nicht verfügbar: Entsperre ihn und versuche es erneut. Dort bewahrt Cove den Schlüssel zu deinem verschlüsselten Verlauf auf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/protection.py" line="59" />
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <location filename="../../app/ui/language/wording.py" line="292" />
        <source>%1 ends inside its header: the file is incomplete (an unfinished download?) or damaged. Download it again, or choose another model file.</source>
        <translation>%1 endet mitten im Dateikopf: Die Datei ist unvollständig (ein abgebrochener Download?) oder beschädigt. Lade sie noch einmal herunter oder wähle eine andere Modelldatei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="293" />
        <source>%1 has a damaged header. Download it again, or choose another model file.</source>
        <translation>Der Dateikopf von %1 ist beschädigt. Lade die Datei noch einmal herunter oder wähle eine andere Modelldatei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="294" />
        <source>%1 is not a GGUF model file. Cove runs models in the GGUF format (files ending in .gguf): choose one of those, or download a model in the Models window.</source>
        <translation>%1 ist keine GGUF-Modelldatei. Cove führt Modelle im GGUF-Format aus (Dateien mit der Endung .gguf): Wähle eine solche Datei oder lade im Fenster „Modelle“ ein Modell herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="295" />
        <source>%1 uses GGUF version %2, which Cove cannot read. Choose a file in GGUF version 2 or 3 (what current converters write).</source>
        <translation>%1 verwendet GGUF-Version %2, die Cove nicht lesen kann. Wähle eine Datei in GGUF-Version 2 oder 3 (die heutige Konverter schreiben).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="296" />
        <source>%1 is a folder, not a model file. Choose the .gguf file inside it.</source>
        <translation>%1 ist ein Ordner, keine Modelldatei. Wähle die .gguf-Datei darin.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="297" />
        <source>The model file %1 does not exist. It may have been moved, renamed or deleted: choose it where it is now, or download it again.</source>
        <translation>Die Modelldatei %1 gibt es nicht. Vielleicht wurde sie verschoben, umbenannt oder gelöscht: Wähle sie dort, wo sie jetzt ist, oder lade sie noch einmal herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="298" />
        <source>Cove cannot read the model file %1 (%2). Check that its drive is connected and that you may read the file, or choose another one.</source>
        <translation>Cove kann die Modelldatei %1 nicht lesen (%2). Prüfe, ob ihr Laufwerk angeschlossen ist und du die Datei lesen darfst, oder wähle eine andere.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="299" />
        <source>%1 contains no model weights, only a header. Choose the model file itself, or download the model again.</source>
        <translation>%1 enthält keine Modellgewichte, nur einen Dateikopf. Wähle die Modelldatei selbst oder lade das Modell noch einmal herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="300" />
        <source>%1 is incomplete: it has %2 of the %3 its header describes. Download it again (or resume the download).</source>
        <translation>%1 ist unvollständig: Sie hat %2 der %3, die ihr Dateikopf beschreibt. Lade sie noch einmal herunter (oder setze den Download fort).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="301" />
        <source>%1 is a text-embedding model: Cove uses it to search attached documents by meaning, but it cannot chat. Choose a chat model such as gpt-oss.</source>
        <translation>%1 ist ein Embedding-Modell: Cove durchsucht damit angehängte Dokumente nach ihrer Bedeutung, aber chatten kann es nicht. Wähle ein Chat-Modell wie gpt-oss.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="302" />
        <source>Cove could not set up %1. Choose another model.</source>
        <translation>Cove konnte %1 nicht einrichten. Wähle ein anderes Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="303" />
        <source>%1 loaded, but there was not enough memory for its context. Choose a shorter context in Settings, close other programs, or choose a smaller model.</source>
        <translation>%1 wurde geladen, aber für seinen Kontext reichte der Speicher nicht. Wähle in den Einstellungen einen kürzeren Kontext, schließe andere Programme oder wähle ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="304" />
        <source>llama.cpp could not load %1, a %2 model. This version of Cove may not support this kind of model, or the file may be damaged: choose another model, or download this one again.</source>
        <translation>llama.cpp konnte %1 (ein %2-Modell) nicht laden. Vielleicht unterstützt diese Version von Cove diese Art Modell nicht, oder die Datei ist beschädigt: Wähle ein anderes Modell oder lade dieses noch einmal herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="305" />
        <source>%1 was not loaded: it does not fit in this computer's free memory with this context. Choose a smaller model, or a shorter context in Settings.</source>
        <translation>%1 wurde nicht geladen: Mit diesem Kontext passt es nicht in den freien Speicher dieses Computers. Wähle ein kleineres Modell oder in den Einstellungen einen kürzeren Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="306" />
        <source>This message is too long for the model's context window (%2 tokens, with %3 kept free for the answer).</source>
        <translation>Diese Nachricht ist zu lang für das Kontextfenster des Modells (%2 Token, davon %3 für die Antwort freigehalten).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="311" />
        <source>Not added: %1</source>
        <translation>Nicht hinzugefügt: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="321" />
        <source>The model worker could not start. Details are in %1.</source>
        <translation>Der Modellprozess konnte nicht starten. Einzelheiten stehen in %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="322" />
        <source>The model worker stopped answering.</source>
        <translation>Der Modellprozess antwortet nicht mehr.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="323" />
        <source>The model worker stopped unexpectedly. What was already written is kept. Cove can start the model again; if this repeats, try a shorter context or fewer GPU layers. Details are in %1.</source>
        <translation>Der Modellprozess wurde unerwartet beendet. Was schon geschrieben war, bleibt erhalten. Cove kann das Modell neu starten; passiert das wieder, versuch einen kürzeren Kontext oder weniger Schichten auf der GPU. Einzelheiten stehen in %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="324" />
        <source>The model worker stopped unexpectedly (exit code %1). What was already written is kept. Cove can start the model again; if this repeats, try a shorter context or fewer GPU layers. Details are in %2.</source>
        <translation>Der Modellprozess wurde unerwartet beendet (Exit-Code %1). Was schon geschrieben war, bleibt erhalten. Cove kann das Modell neu starten; passiert das wieder, versuch einen kürzeren Kontext oder weniger Schichten auf der GPU. Einzelheiten stehen in %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="325" />
        <source>The model worker had stopped, and starting it again failed: %1 Your conversation is saved; send your message again to try once more.</source>
        <translation>Der Modellprozess war beendet, und der Neustart ist fehlgeschlagen: %1 Dein Gespräch ist gespeichert; sende deine Nachricht noch einmal, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="326" />
        <source>The model worker stopped while loading %1, also with the safer settings (%2 tried). The file may be damaged or not supported by this version of llama.cpp: choose another model. Details are in %3.</source>
        <translation>Der Modellprozess ist beim Laden von %1 abgestürzt, auch mit den sichereren Einstellungen (%2 versucht). Die Datei ist vielleicht beschädigt oder wird von dieser Version von llama.cpp nicht unterstützt: Wähle ein anderes Modell. Einzelheiten stehen in %3.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="339" />
        <source>%1 is still loaded and in use.</source>
        <translation>%1 ist weiterhin geladen und wird verwendet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="340" />
        <source>%1, the model loaded before, could not be loaded again either: open a model to go on.</source>
        <translation>%1, das vorher geladene Modell, konnte auch nicht wieder geladen werden: Öffne ein Modell, um weiterzumachen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="354" />
        <source>“%1” is not a Hugging Face repository name (it looks like owner/name).</source>
        <translation>„%1“ ist kein Repository-Name von Hugging Face (der sieht so aus: besitzer/name).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="355" />
        <source>“%1” is not a file name Cove can download.</source>
        <translation>„%1“ ist kein Dateiname, den Cove herunterladen kann.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="356" />
        <source>Cove is closing, so no new download can start.</source>
        <translation>Cove wird gerade beendet, deshalb kann kein neuer Download beginnen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="357" />
        <source>%1 has no file named %2. Check the name (it is case-sensitive) on the model's page.</source>
        <translation>%1 enthält keine Datei namens %2. Prüfe den Namen auf der Seite des Modells (Groß- und Kleinschreibung zählt).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="358" />
        <source>The server gave no checksum for %1, so Cove cannot verify it. Nothing was downloaded.</source>
        <translation>Der Server hat keine Prüfsumme für %1 genannt, deshalb kann Cove die Datei nicht prüfen. Es wurde nichts heruntergeladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="359" />
        <source>Not enough disk space for %1: it needs %2 more (plus %3 to spare), but only %4 is free in %5. Nothing was lost. Free up %6 or choose another models folder, then try again.</source>
        <translation>Nicht genug Speicherplatz für %1: Es braucht noch %2 (plus %3 Reserve), aber in %5 sind nur %4 frei. Es ist nichts verloren. Gib %6 frei oder wähle einen anderen Modellordner und versuche es dann noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="361" />
        <source>The connection was lost while downloading %1. The %2 already downloaded are kept; press Resume when you are back online.</source>
        <translation>Beim Herunterladen von %1 ist die Verbindung abgebrochen. Die bereits heruntergeladenen %2 bleiben erhalten; klicke auf „Fortsetzen“, sobald du wieder online bist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="362" />
        <source>The disk is full: the download of %1 stopped at %2 of %3. What was downloaded is kept. Free up %4 and press Resume.</source>
        <translation>Der Datenträger ist voll: Der Download von %1 hat bei %2 von %3 angehalten. Was heruntergeladen wurde, bleibt erhalten. Gib %4 frei und klicke auf „Fortsetzen“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="363" />
        <source>Cove cannot write %1: %2. What was downloaded is kept; check the models folder's permissions, then press Resume.</source>
        <translation>Cove kann %1 nicht schreiben: %2. Was heruntergeladen wurde, bleibt erhalten; prüfe die Zugriffsrechte des Modellordners und klicke dann auf „Fortsetzen“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="364" />
        <source>The downloaded %1 is damaged: its size does not match what %2 publishes. The bad data was deleted. Try again; if this keeps happening, the server or mirror is sending a wrong file.</source>
        <translation>Die heruntergeladene Datei %1 ist beschädigt: Ihre Größe stimmt nicht mit der Angabe von %2 überein. Die fehlerhaften Daten wurden gelöscht. Versuche es noch einmal; passiert das immer wieder, sendet der Server oder Mirror eine falsche Datei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="365" />
        <source>The downloaded %1 is damaged: its checksum (sha256) does not match what %2 publishes. The bad data was deleted. Try again; if this keeps happening, the server or mirror is sending a wrong file.</source>
        <translation>Die heruntergeladene Datei %1 ist beschädigt: Ihre Prüfsumme (SHA-256) stimmt nicht mit der Angabe von %2 überein. Die fehlerhaften Daten wurden gelöscht. Versuche es noch einmal; passiert das immer wieder, sendet der Server oder Mirror eine falsche Datei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="366" />
        <source>%1 is a gated model: accept its licence on its page at %2, then add your Hugging Face access token in Cove's settings. Nothing was downloaded.</source>
        <translation>%1 ist zugangsbeschränkt: Stimme der Lizenz auf seiner Seite bei %2 zu und trage dann dein Hugging-Face-Zugriffstoken in Cove ein. Es wurde nichts heruntergeladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="367" />
        <source>%1 was not found on %2. Check the name; if it is a private model, add your Hugging Face access token in Cove's settings.</source>
        <translation>%1 wurde auf %2 nicht gefunden. Prüfe den Namen; ist es ein privates Modell, trage dein Hugging-Face-Zugriffstoken in Cove ein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="368" />
        <source>%1 has no version “%2”.</source>
        <translation>%1 hat keine Version „%2“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="369" />
        <source>Downloads are switched off (HF_HUB_OFFLINE is set).</source>
        <translation>Downloads sind ausgeschaltet (HF_HUB_OFFLINE ist gesetzt).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="370" />
        <source>%1 answered %2 for %3. Nothing is lost; try again later.</source>
        <translation>%1 hat für %3 mit Fehler %2 geantwortet. Es ist nichts verloren; versuche es später noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="371" />
        <source>Cove cannot reach %1. Check the internet connection (or the mirror address), then try again.</source>
        <translation>Cove erreicht %1 nicht. Prüfe die Internetverbindung (oder die Adresse des Mirrors) und versuche es dann noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="372" />
        <source>The download of %1 stopped because of an unexpected error (details are in the log file). What was downloaded so far is kept; press Resume to try again.</source>
        <translation>Der Download von %1 wurde durch einen unerwarteten Fehler angehalten (Einzelheiten stehen in der Protokolldatei). Was bisher heruntergeladen wurde, bleibt erhalten; klicke auf „Fortsetzen“, um es noch einmal zu versuchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="382" />
        <source>A model named %1 is already in the library. Rename the file or delete the existing model first.</source>
        <translation>Ein Modell namens %1 ist schon in der Bibliothek. Benenne die Datei um oder lösche zuerst das vorhandene Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="383" />
        <source>Not enough disk space to copy %1: it needs %2, %3 is free. Nothing was copied; add it in place instead, or free up space.</source>
        <translation>Nicht genug Speicherplatz, um %1 zu kopieren: Es braucht %2, frei sind %3. Es wurde nichts kopiert; nutze die Datei stattdessen an ihrem Ort oder gib Speicherplatz frei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="385" />
        <source>Copying %1 failed (%2). Your original file is untouched.</source>
        <translation>Das Kopieren von %1 ist fehlgeschlagen (%2). Deine Originaldatei ist unverändert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="386" />
        <source>%1 is not in Cove's library.</source>
        <translation>%1 ist nicht in Coves Bibliothek.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="387" />
        <source>%1 was removed from the library; the file itself is kept.</source>
        <translation>%1 wurde aus der Bibliothek entfernt; die Datei selbst bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="388" />
        <source>%1 was deleted (%2 freed).</source>
        <translation>%1 wurde gelöscht (%2 freigegeben).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="389" />
        <source>%1 of its %2 files are missing (%3).</source>
        <translation>%1 seiner %2 Dateien fehlen (%3).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="390" />
        <source>%1 looks complete (no checksum is known for it, so only its structure was checked).</source>
        <translation>%1 sieht vollständig aus (für diese Datei ist keine Prüfsumme bekannt, deshalb wurde nur ihr Aufbau geprüft).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="391" />
        <source>%1 is damaged: its checksum does not match the download's. Delete it and download it again.</source>
        <translation>%1 ist beschädigt: Die Prüfsumme stimmt nicht mit der des Downloads überein. Lösche die Datei und lade sie noch einmal herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="392" />
        <source>%1 is intact (checksum verified).</source>
        <translation>%1 ist unversehrt (Prüfsumme bestätigt).</translation>
    </message>
</context>
<context>
    <name>ServersDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="63" />
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="72" />
        <source>Your servers</source>
        <translation>Deine Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="74" />
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="76" />
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="86" />
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="104" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="87" />
        <source>e.g. lab</source>
        <translation>z. B. Labor</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="89" />
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="105" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="93" />
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="106" />
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="99" />
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="107" />
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="102" />
        <source>the server's first model</source>
        <translation>das erste Modell des Servers</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="109" />
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="111" />
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="113" />
        <source>Use this server</source>
        <translation>Diesen Server verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="125" />
        <source>Connection verdict</source>
        <translation>Ergebnis der Verbindung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="180" />
        <source>A key is stored in the keyring; type to replace it</source>
        <translation>Ein Schlüssel ist im Schlüsselbund gespeichert; tippe, um ihn zu ersetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="181" />
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="228" />
        <source>Saved %1.</source>
        <translation>%1 gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="235" />
        <source>Plain http</source>
        <translation>Unverschlüsseltes http</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="236" />
        <source>%1 is plain http to another computer: the conversation and the API key can be read by anyone on the network between you and it. Use it anyway?</source>
        <translation>%1 ist unverschlüsseltes http zu einem anderen Computer: Das Gespräch und der API-Schlüssel können von jedem im Netzwerk dazwischen mitgelesen werden. Trotzdem verwenden?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="261" />
        <source>Remove server</source>
        <translation>Server entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="262" />
        <source>Forget %1 and its API key?</source>
        <translation>%1 und seinen API-Schlüssel vergessen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="288" />
        <source>the server</source>
        <translation>den Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="293" />
        <source>Testing the connection…</source>
        <translation>Die Verbindung wird getestet…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="306" />
        <source>Cove could not run the test; the details are in the log file.</source>
        <translation>Cove konnte den Test nicht ausführen; Einzelheiten stehen in der Protokolldatei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="331" />
        <source>OK: connected in %1 ms. Models: %2</source>
        <translation>OK: verbunden in %1 ms. Modelle: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="337" />
        <source>Unreachable: nothing answers at this address. Is the server running, and is the address right?</source>
        <translation>Nicht erreichbar: Unter dieser Adresse antwortet nichts. Läuft der Server, und stimmt die Adresse?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="340" />
        <source>TLS error: the server's certificate is not trusted, so nothing was sent.</source>
        <translation>TLS-Fehler: Dem Zertifikat des Servers wird nicht vertraut, daher wurde nichts gesendet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="342" />
        <source>Refused (401): the API key is missing or wrong.</source>
        <translation>Abgelehnt (401): Der API-Schlüssel fehlt oder ist falsch.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="344" />
        <source>No such model: the server answers, but does not offer this model.</source>
        <translation>Kein solches Modell: Der Server antwortet, bietet dieses Modell aber nicht an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="345" />
        <source>Timed out: the server did not answer in time.</source>
        <translation>Zeitüberschreitung: Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="346" />
        <source>Busy: the server asks to wait (429).</source>
        <translation>Ausgelastet: Der Server bittet zu warten (429).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="348" />
        <source>Not secure: plain http to another computer needs your confirmation.</source>
        <translation>Nicht sicher: Unverschlüsseltes http zu einem anderen Computer braucht deine Bestätigung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/servers_dialog.py" line="350" />
        <source>The test failed.</source>
        <translation>Der Test ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="54" />
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="55" />
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="62" />
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="67" />
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="63" />
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="63" />
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="65" />
        <source>Theme</source>
        <translation>Erscheinungsbild</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="70" />
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="71" />
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="73" />
        <source>&amp;Theme:</source>
        <translation>&amp;Erscheinungsbild:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="74" />
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="75" />
        <source>A new language shows the next time Cove starts.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Cove.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="81" />
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="81" />
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="82" />
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="84" />
        <source>Default reasoning effort</source>
        <translation>Standard-Denkaufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="87" />
        <source>For example: Answer briefly. I am a software developer.</source>
        <translation>Zum Beispiel: Antworte knapp. Ich bin Softwareentwickler.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="88" />
        <source>Default instructions</source>
        <translation>Standardanweisungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="94" />
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="95" />
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="96" />
        <source>Longest answer</source>
        <translation>Längste Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="97" />
        <source>Answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="99" />
        <source>Default &amp;effort:</source>
        <translation>Standard-&amp;Aufwand:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="100" />
        <source>Default &amp;instructions:</source>
        <translation>Standard&amp;anweisungen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="101" />
        <source>Longest &amp;answer:</source>
        <translation>&amp;Längste Antwort:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="104" />
        <source>Use the model's recommended sampling</source>
        <translation>Vom Modell empfohlenes Sampling verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="106" />
        <source>For gpt-oss: temperature 1.0 and top-p 1.0, as OpenAI recommends.</source>
        <translation>Für gpt-oss: Temperatur 1,0 und Top-p 1,0, wie von OpenAI empfohlen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="109" />
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="109" />
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="110" />
        <source>Top-k (0: off):</source>
        <translation>Top-k (0: aus):</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="110" />
        <source>Min-p:</source>
        <translation>Min-p:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="111" />
        <source>Repeat penalty:</source>
        <translation>Wiederholungsstrafe:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="112" />
        <source>Generation</source>
        <translation>Generierung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="127" />
        <source>Advanced: how the model runs</source>
        <translation>Erweitert: So läuft das Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="131" />
        <source>Your data</source>
        <translation>Deine Daten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="136" />
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="137" />
        <source>Open the data folder</source>
        <translation>Datenordner öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="143" />
        <source>Conversations and models:</source>
        <translation>Gespräche und Modelle:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="148" />
        <source>Settings file:</source>
        <translation>Einstellungsdatei:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="149" />
        <source>Everything stays on this computer. Cove sends nothing anywhere unless you download a model.</source>
        <translation>Alles bleibt auf diesem Computer. Cove sendet nichts, außer du lädst ein Modell herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="172" />
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="173" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="175" />
        <source>Restore defaults</source>
        <translation>Standardwerte</translation>
    </message>
</context>
<context>
    <name>SiblingNav</name>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="67" />
        <source>Previous version</source>
        <translation>Vorherige Version</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="68" />
        <source>Next version</source>
        <translation>Nächste Version</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="82" />
        <source>Version %1 of %2</source>
        <translation>Version %1 von %2</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="104" />
        <location filename="../../app/ui/widgets/sidebar.py" line="106" />
        <location filename="../../app/ui/widgets/sidebar.py" line="266" />
        <location filename="../../app/ui/widgets/sidebar.py" line="362" />
        <location filename="../../app/ui/widgets/sidebar.py" line="385" />
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="105" />
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Neues Gespräch beginnen (Strg+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="113" />
        <source>Search all chats (Ctrl+K)</source>
        <translation>Alle Chats durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="114" />
        <source>Search all chats</source>
        <translation>Alle Chats durchsuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="117" />
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="129" />
        <source>Conversations</source>
        <translation>Gespräche</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="142" />
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="150" />
        <source>Nothing found.</source>
        <translation>Nichts gefunden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="159" />
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="160" />
        <source>Undo delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="174" />
        <location filename="../../app/ui/widgets/sidebar.py" line="176" />
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="175" />
        <source>Settings (Ctrl+,)</source>
        <translation>Einstellungen (Strg+,)</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="181" />
        <location filename="../../app/ui/widgets/sidebar.py" line="319" />
        <source>Export conversation…</source>
        <translation>Gespräch exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="185" />
        <source>Export all conversations…</source>
        <translation>Alle Gespräche exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="187" />
        <source>Import conversations…</source>
        <translation>Gespräche importieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="195" />
        <location filename="../../app/ui/widgets/sidebar.py" line="196" />
        <source>Export and import conversations</source>
        <translation>Gespräche exportieren und importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="232" />
        <source>From other apps</source>
        <translation>Von anderen Programmen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="253" />
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="262" />
        <source>From {app}</source>
        <translation>Von {app}</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="263" />
        <source>From another app</source>
        <translation>Von einem anderen Programm</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="315" />
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="317" />
        <source>Unpin</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="317" />
        <source>Pin</source>
        <translation>Anheften</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="321" />
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/sidebar.py" line="384" />
        <source>“%1” deleted.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
</context>
<context>
    <name>SourcesView</name>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="59" />
        <source>Not found in your documents</source>
        <translation>Nicht in deinen Dokumenten gefunden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="64" />
        <source>Some documents were still being read: only what was read so far was searched.</source>
        <translation>Einige Dokumente wurden noch gelesen: Durchsucht wurde nur, was bisher gelesen war.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="72" />
        <source>Answered from the best passages: reading the whole document first would have taken about %1 min.</source>
        <translation>Aus den passendsten Stellen beantwortet: Das ganze Dokument vorher zu lesen, hätte etwa %1 min gedauert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="78" />
        <source>Read the whole document</source>
        <translation>Ganzes Dokument lesen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="80" />
        <source>Cove reads it in the background; the next question uses all of it.</source>
        <translation>Cove liest es im Hintergrund; die nächste Frage nutzt es ganz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="85" />
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="103" />
        <source>Reading the whole document in the background…</source>
        <translation>Liest das ganze Dokument im Hintergrund …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="111" />
        <source>Open file</source>
        <translation>Datei öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="125" />
        <source>The file is not there any more</source>
        <translation>Die Datei ist nicht mehr da</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="126" />
        <source>%1 was moved or deleted. The passage Cove used is still shown here.</source>
        <translation>%1 wurde verschoben oder gelöscht. Die Stelle, die Cove verwendet hat, steht weiterhin hier.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="130" />
        <source>No app to open this file</source>
        <translation>Keine App zum Öffnen dieser Datei</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="131" />
        <source>This computer has no app set to open %1. Install one (a PDF reader, a word processor), or open the file from its folder.</source>
        <translation>Auf diesem Computer ist keine App zum Öffnen von %1 eingerichtet. Installiere eine (einen PDF-Betrachter, eine Textverarbeitung) oder öffne die Datei aus ihrem Ordner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="141" />
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="152" />
        <source>The folder could not be opened</source>
        <translation>Der Ordner konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/sources.py" line="153" />
        <source>The file is %1</source>
        <translation>Die Datei ist %1</translation>
    </message>
</context>
<context>
    <name>SystemPromptDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="226" />
        <source>Instructions for this conversation</source>
        <translation>Anweisungen für dieses Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="229" />
        <source>The model follows these instructions for every answer in this conversation (a system prompt). Leave it empty to use the default from Settings.</source>
        <translation>Das Modell befolgt diese Anweisungen bei jeder Antwort in diesem Gespräch (ein Systemprompt). Leer lassen, um die Standardanweisungen aus den Einstellungen zu verwenden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="233" />
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="236" />
        <source>For example: You are a patient maths tutor. Explain each step.</source>
        <translation>Zum Beispiel: Du bist ein geduldiger Mathe-Nachhilfelehrer. Erkläre jeden Schritt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="240" />
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="241" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>ThinkingBlock</name>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="39" />
        <location filename="../../app/ui/chat/thinking.py" line="43" />
        <source>Answer now</source>
        <translation>Jetzt antworten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="42" />
        <source>Stop thinking and write the answer straight away</source>
        <translation>Nicht weiter nachdenken und sofort die Antwort schreiben</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="148" />
        <source>Reasoning</source>
        <translation>Gedankengang</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="160" />
        <source>Hide the reasoning</source>
        <translation>Gedankengang ausblenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="160" />
        <source>Show the reasoning</source>
        <translation>Gedankengang einblenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="172" />
        <source>Answering…</source>
        <translation>Antwortet …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="178" />
        <source>Thinking… %1 s</source>
        <translation>Denkt nach … %1 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="182" />
        <source>Thought for %1 s · %2 tokens</source>
        <translation>%1 s nachgedacht · %2 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/thinking.py" line="186" />
        <source>Thought · %1 tokens</source>
        <translation>Nachgedacht · %1 Token</translation>
    </message>
</context>
<context>
    <name>TooLong</name>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="63" />
        <source>Attach the text as a document</source>
        <translation>Den Text als Dokument anhängen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="66" />
        <source>Use a %1-token context</source>
        <translation>Einen Kontext mit %1 Token nutzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="70" />
        <source>Your conversation is safe. Attached as a document, the text is searched and only the passages your question needs go to the model; a longer context holds more at once but uses more memory.</source>
        <translation>Deine Unterhaltung ist sicher. Als Dokument angehängt wird der Text durchsucht, und nur die Stellen, die deine Frage braucht, gehen an das Modell; ein längerer Kontext fasst mehr auf einmal, braucht aber mehr Speicher.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="75" />
        <source>Your conversation is safe. This computer has no memory for a longer context with this model: shorten the message, or attach long texts as documents with Attach.</source>
        <translation>Deine Unterhaltung ist sicher. Für einen längeren Kontext mit diesem Modell hat dieser Computer keinen Speicher: Kürze die Nachricht oder hänge lange Texte mit „Anhängen“ als Dokumente an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="78" />
        <source>The message does not fit in the context</source>
        <translation>Die Nachricht passt nicht in den Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="107" />
        <source>Pasted text %1.txt</source>
        <translation>Eingefügter Text %1.txt</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="111" />
        <source>The text could not be attached</source>
        <translation>Der Text konnte nicht angehängt werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="112" />
        <source>Your message is safe in the conversation. The file could not be written: %1</source>
        <translation>Deine Nachricht ist in der Unterhaltung sicher. Die Datei konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/too_long.py" line="118" />
        <source>Your text is attached as “%1”. Ask your question about it.</source>
        <translation>Dein Text ist als „%1“ angehängt. Stell deine Frage dazu.</translation>
    </message>
</context>
<context>
    <name>ToolCallCard</name>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="117" />
        <location filename="../../app/ui/chat/tool_card.py" line="174" />
        <source>Allow</source>
        <translation>Erlauben</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="118" />
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="119" />
        <source>Always in this chat</source>
        <translation>Immer in diesem Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="121" />
        <source>Run this tool without asking for the rest of this chat (the chat's Tools menu takes it back)</source>
        <translation>Dieses Werkzeug für den Rest dieses Chats ohne Nachfrage ausführen (im Werkzeuge-Menü des Chats nimmst du das zurück)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="126" />
        <location filename="../../app/ui/chat/tool_card.py" line="173" />
        <source>Allow this tool call?</source>
        <translation>Diesen Werkzeugaufruf erlauben?</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="163" />
        <source>Tool: %1</source>
        <translation>Werkzeug: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="164" />
        <source>Tool call: %1</source>
        <translation>Werkzeugaufruf: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="168" />
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="169" />
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="172" />
        <source>Run this code?</source>
        <translation>Diesen Code ausführen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="174" />
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="191" />
        <source>Waiting for your approval</source>
        <translation>Wartet auf deine Erlaubnis</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="192" />
        <source>Running…</source>
        <translation>Läuft …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="193" />
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="194" />
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="195" />
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="200" />
        <source>%1 · %2 s</source>
        <translation>%1 · %2 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="211" />
        <source>Show less</source>
        <translation>Weniger zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="212" />
        <source>Show all</source>
        <translation>Alles zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="231" />
        <source>File: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="233" />
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/tool_card.py" line="235" />
        <source>Save %1</source>
        <translation>%1 speichern</translation>
    </message>
</context>
<context>
    <name>ToolsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="58" />
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="62" />
        <source>Python: run code the model writes</source>
        <translation>Python: Code ausführen, den das Modell schreibt</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="68" />
        <source>Web search and opening pages (leaves this computer)</source>
        <translation>Websuche und Seiten öffnen (verlässt diesen Computer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="72" />
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="107" />
        <source>Search service</source>
        <translation>Suchdienst</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="78" />
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="108" />
        <source>Tool calls per answer</source>
        <translation>Werkzeugaufrufe pro Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="79" />
        <source>How many tools the model may call before it has to answer</source>
        <translation>Wie viele Werkzeuge das Modell aufrufen darf, bevor es antworten muss</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="83" />
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="110" />
        <source>MCP servers</source>
        <translation>MCP-Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="85" />
        <source>Run this server's tools without asking</source>
        <translation>Die Werkzeuge dieses Servers ohne Nachfrage ausführen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="87" />
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="90" />
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="117" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="92" />
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="118" />
        <source>Command or address</source>
        <translation>Befehl oder Adresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="93" />
        <source>a command (npx -y server) or https://host/mcp</source>
        <translation>ein Befehl (npx -y server) oder https://host/mcp</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="94" />
        <source>Add server</source>
        <translation>Server hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="130" />
        <source>Not available on this system.</source>
        <translation>Auf diesem System nicht verfügbar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="133" />
        <source>Runs in a sandbox: no network, only its own folder, time and memory limits.</source>
        <translation>Läuft in einer Sandbox: kein Netzwerk, nur der eigene Ordner, Zeit- und Speichergrenzen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="136" />
        <source>Runs without network and with time and memory limits, but can read your files. Install bubblewrap for a stronger sandbox.</source>
        <translation>Läuft ohne Netzwerk und mit Zeit- und Speichergrenzen, kann aber deine Dateien lesen. Installiere bubblewrap für eine stärkere Sandbox.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="138" />
        <source>Only a weak sandbox is available here: the code could read and change your files. Install bubblewrap for a real sandbox.</source>
        <translation>Hier gibt es nur eine schwache Sandbox: Der Code könnte deine Dateien lesen und ändern. Installiere bubblewrap für eine echte Sandbox.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="146" />
        <source> (leaves this computer)</source>
        <translation> (verlässt diesen Computer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="148" />
        <source>could not start: %1</source>
        <translation>konnte nicht starten: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="188" />
        <source>This server cannot be added: give a name (letters, digits, spaces) and a command or an http(s) address.</source>
        <translation>Dieser Server kann nicht hinzugefügt werden: Gib einen Namen (Buchstaben, Ziffern, Leerzeichen) und einen Befehl oder eine http(s)-Adresse an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/tools_dialog.py" line="207" />
        <source>Web search needs the address of a search service you chose (for example your SearXNG).</source>
        <translation>Die Websuche braucht die Adresse eines Suchdienstes, den du gewählt hast (zum Beispiel dein SearXNG).</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="55" />
        <location filename="../../app/ui/widgets/topbar.py" line="56" />
        <source>Show or hide the sidebar</source>
        <translation>Seitenleiste ein- oder ausblenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="59" />
        <source>Conversation title</source>
        <translation>Titel des Gesprächs</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="69" />
        <location filename="../../app/ui/widgets/topbar.py" line="138" />
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="79" />
        <source>Loading</source>
        <translation>Lädt</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="83" />
        <source>Runs on</source>
        <translation>Läuft auf</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="87" />
        <source>Context used</source>
        <translation>Belegter Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="90" />
        <source>Speed of the last answer</source>
        <translation>Tempo der letzten Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="93" />
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="95" />
        <source>Instructions for this conversation (system prompt)</source>
        <translation>Anweisungen für dieses Gespräch (Systemprompt)</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="97" />
        <source>Instructions for this conversation</source>
        <translation>Anweisungen für dieses Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="119" />
        <source>Loading %1…</source>
        <translation>%1 wird geladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="132" />
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="133" />
        <source>Choose a model</source>
        <translation>Modell wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="143" />
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="144" />
        <source>The model runs on the server %1</source>
        <translation>Das Modell läuft auf dem Server %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="150" />
        <source>Where the model runs</source>
        <translation>Worauf das Modell läuft</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="169" />
        <source>%1 tokens of context</source>
        <translation>%1 Token Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="172" />
        <source>Context %1 / %2</source>
        <translation>Kontext %1 / %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="174" />
        <source>How much of the model's memory for this conversation is in use</source>
        <translation>Wie viel vom Gedächtnis des Modells dieses Gespräch belegt</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="182" />
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="238" />
        <source>Open a model file…</source>
        <translation>Modelldatei öffnen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="241" />
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/topbar.py" line="248" />
        <source>Servers…</source>
        <translation>Server…</translation>
    </message>
</context>
<context>
    <name>UserMessage</name>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="159" />
        <source>Your message</source>
        <translation>Deine Nachricht</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="170" />
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="172" />
        <source>Edit and send again</source>
        <translation>Bearbeiten und erneut senden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="173" />
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="205" />
        <source>Show all (%1 characters)</source>
        <translation>Alles zeigen (%1 Zeichen)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="209" />
        <source>Show less</source>
        <translation>Weniger zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="233" />
        <source>Edit your message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="237" />
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/messages.py" line="240" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>WelcomeWizard</name>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="86" />
        <location filename="../../app/ui/dialogs/welcome.py" line="87" />
        <location filename="../../app/ui/dialogs/welcome.py" line="140" />
        <source>Welcome to Cove</source>
        <translation>Willkommen bei Cove</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="104" />
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="105" />
        <source>Back to the choice of model</source>
        <translation>Zurück zur Modellauswahl</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="107" />
        <source>Skip for now</source>
        <translation>Vorerst überspringen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="108" />
        <source>Close the welcome window</source>
        <translation>Willkommensfenster schließen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="109" />
        <source>You can come back here from the Models menu.</source>
        <translation>Über das Menü „Modelle“ kommst du hierher zurück.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="111" />
        <location filename="../../app/ui/dialogs/welcome.py" line="113" />
        <source>Start chatting</source>
        <translation>Chat beginnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="147" />
        <source>Private chat with OpenAI's open-weight gpt-oss models, on this computer. Nothing you write leaves it, and once a model is here Cove works without the internet.</source>
        <translation>Privat chatten mit den offenen gpt-oss-Modellen von OpenAI, auf diesem Computer. Nichts, was du schreibst, verlässt ihn, und sobald ein Modell da ist, funktioniert Cove ohne Internet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="153" />
        <location filename="../../app/ui/dialogs/welcome.py" line="156" />
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="165" />
        <source>The model for it: %1</source>
        <translation>Das passende Modell: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="166" />
        <source>%1 download · needs about %2 of memory · by %3</source>
        <translation>%1 Download · braucht etwa %2 Arbeitsspeicher · von %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="177" />
        <source>You can still download it, but it will not run well here; a GGUF file of a smaller model may suit this computer better.</source>
        <translation>Du kannst es trotzdem herunterladen, aber es wird hier nicht gut laufen; die GGUF-Datei eines kleineren Modells passt vielleicht besser zu diesem Computer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="187" />
        <source>Use a GGUF file I already have…</source>
        <translation>Vorhandene GGUF-Datei verwenden …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="189" />
        <source>Use a GGUF model file already on this computer</source>
        <translation>Eine GGUF-Modelldatei verwenden, die schon auf diesem Computer ist</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="192" />
        <source>Other models…</source>
        <translation>Andere Modelle …</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="193" />
        <source>See every model Cove can download</source>
        <translation>Alle Modelle ansehen, die Cove herunterladen kann</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="228" />
        <source>Use %1</source>
        <translation>%1 verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="230" />
        <source>Show the download of %1</source>
        <translation>Download von %1 anzeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="232" />
        <source>Resume downloading %1</source>
        <translation>Download von %1 fortsetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="234" />
        <source>Download %1 (%2)</source>
        <translation>%1 herunterladen (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="265" />
        <source>How the model will run here</source>
        <translation>So wird das Modell hier laufen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="293" />
        <source>Downloading %1</source>
        <translation>%1 wird heruntergeladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="295" />
        <source>This takes a while. You can pause and resume, even after closing Cove; a lost connection is picked up where it stopped. Closing this window does not stop the download.</source>
        <translation>Das dauert eine Weile. Du kannst pausieren und fortsetzen, sogar nachdem du Cove geschlossen hast; nach einem Verbindungsabbruch geht es dort weiter, wo es aufgehört hat. Das Schließen dieses Fensters hält den Download nicht an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="312" />
        <source>%1 is ready</source>
        <translation>%1 ist bereit</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="313" />
        <source>This file cannot be used</source>
        <translation>Diese Datei kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="315" />
        <source>Downloaded and verified. Press Start chatting.</source>
        <translation>Heruntergeladen und geprüft. Klicke auf „Chat beginnen“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="316" />
        <source>Press Start chatting.</source>
        <translation>Klicke auf „Chat beginnen“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="322" />
        <source>%1 · %2 · %3 · %4 parameters
%5</source>
        <translation>%1 · %2 · %3 · %4 Parameter
%5</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="367" />
        <source>Choose a GGUF model</source>
        <translation>GGUF-Modell wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="368" />
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="382" />
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/welcome.py" line="418" />
        <source>The download was cancelled and its partial file deleted.</source>
        <translation>Der Download wurde abgebrochen und die unvollständige Datei gelöscht.</translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <location filename="../../app/ui/language/wording.py" line="46" />
        <source>%1 bytes</source>
        <translation>%1 Byte</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="51" />
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="55" />
        <source>fast</source>
        <translation>schnell</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="55" />
        <source>good</source>
        <translation>gut</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="55" />
        <source>usable, slow</source>
        <translation>brauchbar, langsam</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="56" />
        <source>too slow</source>
        <translation>zu langsam</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="68" />
        <source>measured %1 words a second: %2</source>
        <translation>gemessen %1 Wörter pro Sekunde: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="69" />
        <source>about %1 words a second: %2</source>
        <translation>etwa %1 Wörter pro Sekunde: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="75" />
        <source>Measured: %1 words a second, %2.</source>
        <translation>Gemessen: %1 Wörter pro Sekunde, %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="76" />
        <source>About %1 words a second: %2.</source>
        <translation>Etwa %1 Wörter pro Sekunde: %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="85" />
        <source>Needs about %1 of memory; this computer has %2 of RAM and %3 of graphics memory.</source>
        <translation>Braucht etwa %1 Speicher; dieser Computer hat %2 Arbeitsspeicher und %3 Grafikspeicher.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="88" />
        <source>Needs about %1 of memory; this computer has %2 of RAM.</source>
        <translation>Braucht etwa %1 Speicher; dieser Computer hat %2 Arbeitsspeicher.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="90" />
        <source>Fits in the graphics memory (%1 needed)</source>
        <translation>Passt in den Grafikspeicher (%1 nötig)</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="91" />
        <source>Fits in memory (%1 needed)</source>
        <translation>Passt in den Speicher (%1 nötig)</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="92" />
        <source>Fits, but memory is tight (%1 needed)</source>
        <translation>Passt, aber der Speicher ist knapp (%1 nötig)</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="95" />
        <source>%1; %2.</source>
        <translation>%1; %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="107" />
        <source>%1 (the %2 asked for does not fit)</source>
        <translation>%1 (die gewünschten %2 passen nicht)</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="120" />
        <source>%1 runs on the CPU (1 core, %3 RAM), %ctx of context.</source>
        <translation>%1 läuft auf der CPU (1 Kern, %3 Arbeitsspeicher), mit %ctx Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="121" />
        <source>%1 runs on the CPU (%2 cores, %3 RAM), %ctx of context.</source>
        <translation>%1 läuft auf der CPU (%2 Kerne, %3 Arbeitsspeicher), mit %ctx Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="128" />
        <source>%1 (%2 unified memory)</source>
        <translation>%1 (%2 gemeinsamer Speicher)</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="128" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="132" />
        <source>%1 runs on your %2: all layers on the GPU, %ctx of context.</source>
        <translation>%1 läuft auf deiner %2: alle Schichten auf der Grafikkarte, mit %ctx Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="134" />
        <source>%1 runs on your %2 and the CPU: all layers on the GPU, the experts of %3 of %4 layers in RAM, %ctx of context.</source>
        <translation>%1 läuft auf deiner %2 und der CPU: alle Schichten auf der Grafikkarte, die Experten von %3 der %4 Schichten im Arbeitsspeicher, mit %ctx Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="137" />
        <source>%1 runs partly on your %2: %5 of %4 layers on the GPU, the rest on the CPU, %ctx of context.</source>
        <translation>%1 läuft teilweise auf deiner %2: %5 von %4 Schichten auf der Grafikkarte, der Rest auf der CPU, mit %ctx Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="147" />
        <source>%1 needs about %2 of memory and only %3 is free: close some programs and try again.</source>
        <translation>%1 braucht etwa %2 Speicher, frei sind nur %3: schließe ein paar Programme und versuche es noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="150" />
        <source>%1 needs about %2 of memory, but this computer has %3 of RAM: it cannot run here.</source>
        <translation>%1 braucht etwa %2 Speicher, dieser Computer hat aber %3 Arbeitsspeicher: es kann hier nicht laufen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="158" />
        <source>Your setting (%1 layers on the graphics card, the experts of %2 layers in RAM) does not fit %3 with %4 of context in the free memory, so Cove chose for you.</source>
        <translation>Deine Einstellung (%1 Schichten auf der Grafikkarte, die Experten von %2 Schichten im Arbeitsspeicher) passt für %3 mit %4 Kontext nicht in den freien Speicher, deshalb hat Cove für dich gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="172" />
        <source>the CPU alone, %1 of context</source>
        <translation>nur die CPU, mit %1 Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="174" />
        <source>all layers on the GPU, %1 of context</source>
        <translation>alle Schichten auf der Grafikkarte, mit %1 Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="176" />
        <source>all layers on the GPU with the experts of %2 layers in RAM, %1 of context</source>
        <translation>alle Schichten auf der Grafikkarte, die Experten von %2 Schichten im Arbeitsspeicher, mit %1 Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="178" />
        <source>%3 of %4 layers on the GPU, %1 of context</source>
        <translation>%3 von %4 Schichten auf der Grafikkarte, mit %1 Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="186" />
        <source>Tried %1: the model worker stopped while loading.</source>
        <translation>Versucht: %1 – der Modellprozess ist beim Laden abgestürzt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="187" />
        <source>Tried %1: llama.cpp could not load it (details are in the log file).</source>
        <translation>Versucht: %1 – llama.cpp konnte das Modell so nicht laden (Einzelheiten stehen in der Protokolldatei).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="192" />
        <source>Loading on the GPU failed, so Cove put less of the model on the GPU.</source>
        <translation>Das Laden auf die Grafikkarte ist fehlgeschlagen, deshalb hat Cove weniger vom Modell auf die Grafikkarte gelegt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="193" />
        <source>Loading with the GPU failed, so Cove runs the model on the CPU alone.</source>
        <translation>Das Laden mit der Grafikkarte ist fehlgeschlagen, deshalb lässt Cove das Modell nur auf der CPU laufen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="194" />
        <source>Loading failed, so Cove runs the model on the CPU with a smaller context.</source>
        <translation>Das Laden ist fehlgeschlagen, deshalb lässt Cove das Modell auf der CPU mit kürzerem Kontext laufen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="206" />
        <source>Cove is running as an Intel app on an Apple Silicon Mac, so it cannot use the graphics chip.</source>
        <translation>Cove läuft als Intel-App auf einem Mac mit Apple Silicon und kann deshalb den Grafikchip nicht nutzen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="208" />
        <source>Install the Apple Silicon version of Cove.</source>
        <translation>Installiere die Apple-Silicon-Version von Cove.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="209" />
        <source>No graphics card Cove can use was found, so it runs on the CPU.</source>
        <translation>Es wurde keine Grafikkarte gefunden, die Cove nutzen kann, deshalb läuft es auf der CPU.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="211" />
        <source>Nothing is wrong. An NVIDIA graphics card with 8 GB or more, or an Apple Silicon Mac, makes answers several times faster.</source>
        <translation>Alles in Ordnung. Eine NVIDIA-Grafikkarte mit 8 GB oder mehr oder ein Mac mit Apple Silicon macht Antworten um ein Mehrfaches schneller.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="213" />
        <source>Your %1 is there, but its driver did not answer.</source>
        <translation>Deine %1 ist da, aber ihr Treiber hat nicht geantwortet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="214" />
        <source>Install (or reinstall) the NVIDIA driver, restart the computer, then start Cove again.</source>
        <translation>Installiere den NVIDIA-Treiber (neu), starte den Computer neu und dann Cove.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="216" />
        <source>The driver of your %1 (%2) is too old for Cove's CUDA engine.</source>
        <translation>Der Treiber deiner %1 (%2) ist zu alt für Coves CUDA-Engine.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="219" />
        <source>Install NVIDIA driver %1 or newer, then restart Cove.</source>
        <translation>Installiere den NVIDIA-Treiber %1 oder neuer und starte Cove dann neu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="221" />
        <source>Your %1 has %2 free, too little for %3 with %4 of context.</source>
        <translation>Deine %1 hat %2 frei, zu wenig für %3 mit %4 Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="224" />
        <source>Close programs that use the graphics card (games, video editors) or choose a smaller context. Cove runs on the CPU meanwhile.</source>
        <translation>Schließe Programme, die die Grafikkarte nutzen (Spiele, Videoschnitt), oder wähle einen kleineren Kontext. Bis dahin läuft Cove auf der CPU.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="227" />
        <source>Your %1 (%2 free) holds part of %3; the rest runs on the CPU, which is slower.</source>
        <translation>Deine %1 (%2 frei) hält einen Teil von %3; der Rest läuft auf der CPU, und das ist langsamer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="230" />
        <source>A smaller context, or closing programs that use the graphics card, leaves more of the model on it.</source>
        <translation>Ein kleinerer Kontext oder das Schließen von Programmen, die die Grafikkarte nutzen, lässt mehr vom Modell auf ihr.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="236" />
        <source>Your %1 was found, but Cove's engine supports NVIDIA (CUDA) and Apple (Metal) graphics only.</source>
        <translation>Deine %1 wurde gefunden, aber Coves Engine unterstützt nur Grafik von NVIDIA (CUDA) und Apple (Metal).</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="238" />
        <source>Nothing to do: Cove runs on the CPU.</source>
        <translation>Nichts zu tun: Cove läuft auf der CPU.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="239" />
        <source>Your %1 was found, but Cove's engine was built without %2 support, so it runs on the CPU.</source>
        <translation>Deine %1 wurde gefunden, aber Coves Engine wurde ohne %2-Unterstützung gebaut, deshalb läuft es auf der CPU.</translation>
    </message>
    <message>
        <location filename="../../app/ui/language/wording.py" line="241" />
        <source>Ask whoever installed Cove for a version built with %1.</source>
        <translation>Bitte die Person, die Cove installiert hat, um eine Version mit %1.</translation>
    </message>
</context>
</TS>
