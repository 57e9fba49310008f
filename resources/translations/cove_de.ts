<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AssistantMessage</name>
    <message>
        <location filename="../../app/ui/messages.py" line="461"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="463"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="464"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="505"/>
        <source>Thinking…</source>
        <translation>Denkt nach …</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="510"/>
        <source>Reading the conversation… %1 %</source>
        <translation>Liest das Gespräch … %1 %</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="564"/>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="566"/>
        <source>Interrupted: the answer was cut off before it ended.</source>
        <translation>Unterbrochen: Die Antwort brach vor ihrem Ende ab.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="570"/>
        <source>The answer failed</source>
        <translation>Die Antwort ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../app/ui/chatview.py" line="51"/>
        <source>Conversation</source>
        <translation>Gespräch</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <location filename="../../app/ui/markdown.py" line="291"/>
        <location filename="../../app/ui/markdown.py" line="327"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/markdown.py" line="293"/>
        <location filename="../../app/ui/markdown.py" line="294"/>
        <source>Copy the code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/markdown.py" line="302"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/ui/markdown.py" line="316"/>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/ui/markdown.py" line="321"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../app/ui/composer.py" line="106"/>
        <source>Ask anything</source>
        <translation>Frag etwas</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="107"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="109"/>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Eingabe sendet, Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="115"/>
        <source>Reasoning effort</source>
        <translation>Denkaufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="117"/>
        <source>How long the model thinks before it answers. Low is quickest; high is best for hard problems.</source>
        <translation>Wie lange das Modell nachdenkt, bevor es antwortet. Niedrig ist am schnellsten, hoch am besten für schwierige Aufgaben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="119"/>
        <source>Low effort</source>
        <translation>Wenig Aufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="120"/>
        <source>Medium effort</source>
        <translation>Mittlerer Aufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="121"/>
        <source>High effort</source>
        <translation>Hoher Aufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="176"/>
        <source>Stop (Esc)</source>
        <translation>Anhalten (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="180"/>
        <source>Send (Enter)</source>
        <translation>Senden (Eingabe)</translation>
    </message>
</context>
<context>
    <name>ComposerInput</name>
    <message>
        <location filename="../../app/ui/composer.py" line="77"/>
        <source>%1 is larger than 2 MB.</source>
        <translation>%1 ist größer als 2 MB.</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="81"/>
        <source>%1 is not a text file. For now Cove reads plain text files (.txt, .md, source code); PDF and Word documents are coming.</source>
        <translation>%1 ist keine Textdatei. Cove liest vorerst reine Textdateien (.txt, .md, Quellcode); PDF- und Word-Dokumente folgen.</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../../app/ui/empty.py" line="32"/>
        <source>Getting started</source>
        <translation>Erste Schritte</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="36"/>
        <source>Private chat, on this computer</source>
        <translation>Privat chatten, auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="40"/>
        <source>Cove runs OpenAI&apos;s open-weight gpt-oss models on your own machine. Nothing you write leaves it, and it works without the internet.</source>
        <translation>Cove führt die offenen gpt-oss-Modelle von OpenAI auf deinem eigenen Rechner aus. Nichts, was du schreibst, verlässt ihn, und es funktioniert ohne Internet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="54"/>
        <source>%1 is ready. Try one of these, or write your own:</source>
        <translation>%1 ist bereit. Probier eines davon oder schreib selbst etwas:</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="62"/>
        <source>Explain how a rainbow forms, step by step.</source>
        <translation>Erkläre Schritt für Schritt, wie ein Regenbogen entsteht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="63"/>
        <source>Write a Python palindrome check, with tests.</source>
        <translation>Schreib eine Palindrom-Prüfung in Python, mit Tests.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="64"/>
        <source>Plan three days in Lisbon on a small budget.</source>
        <translation>Plane drei Tage in Lissabon mit kleinem Budget.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="65"/>
        <source>Summarise the pros and cons of remote work in a table.</source>
        <translation>Fasse Vor- und Nachteile von Homeoffice in einer Tabelle zusammen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="76"/>
        <source>Open a model…</source>
        <translation>Modell öffnen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="78"/>
        <source>Open a model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="89"/>
        <source>No model yet? gpt-oss-20b (12 GB) runs on a laptop with 16 GB of memory. Download it once with:</source>
        <translation>Noch kein Modell? gpt-oss-20b (12 GB) läuft auf einem Laptop mit 16 GB Arbeitsspeicher. Einmal herunterladen mit:</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="104"/>
        <source>Reasoning you can read</source>
        <translation>Nachvollziehbares Denken</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="105"/>
        <source>See how the model thinks, choose low, medium or high effort, and press Answer now when it has thought enough.</source>
        <translation>Sieh, wie das Modell denkt, wähle wenig, mittleren oder hohen Aufwand und drücke „Jetzt antworten“, wenn es genug nachgedacht hat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="107"/>
        <source>Bring your text</source>
        <translation>Eigene Texte</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="108"/>
        <source>Drop a text file or paste a long document into the message box; drop a .gguf file to open that model.</source>
        <translation>Zieh eine Textdatei ins Nachrichtenfeld oder füge ein langes Dokument ein; eine .gguf-Datei öffnet dieses Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="110"/>
        <source>Never lose a chat</source>
        <translation>Kein Chat geht verloren</translation>
    </message>
    <message>
        <location filename="../../app/ui/empty.py" line="111"/>
        <source>Every conversation is saved as it is written, and Ctrl+K searches them all.</source>
        <translation>Jedes Gespräch wird schon beim Schreiben gespeichert, und Strg+K durchsucht alle.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/ui/errors.py" line="40"/>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="41"/>
        <source>Open Settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="42"/>
        <source>Choose another model…</source>
        <translation>Anderes Modell wählen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="44"/>
        <source>The model needs more memory than this computer has free. Your conversation is safe. Choose a shorter context in Settings, close other apps, or use a smaller model.</source>
        <translation>Das Modell braucht mehr Arbeitsspeicher, als dieser Computer frei hat. Dein Gespräch ist sicher. Wähle in den Einstellungen einen kürzeren Kontext, schließe andere Programme oder nimm ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="48"/>
        <source>Not enough memory</source>
        <translation>Nicht genug Arbeitsspeicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="51"/>
        <source>What was already written is saved. Cove is starting the model again; then you can try once more.</source>
        <translation>Was schon geschrieben war, ist gespeichert. Cove startet das Modell neu; danach kannst du es noch einmal versuchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="54"/>
        <source>The model stopped unexpectedly</source>
        <translation>Das Modell wurde unerwartet beendet</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="57"/>
        <source>Check that the file is a complete GGUF model, or choose another one.</source>
        <translation>Prüfe, ob die Datei ein vollständiges GGUF-Modell ist, oder wähle ein anderes.</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="59"/>
        <source>The model could not be loaded</source>
        <translation>Das Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="63"/>
        <source>No model is loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="64"/>
        <source>Open a model to get an answer. Your message is saved.</source>
        <translation>Öffne ein Modell, um eine Antwort zu bekommen. Deine Nachricht ist gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="65"/>
        <source>Open a model…</source>
        <translation>Modell öffnen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="67"/>
        <source>Shorten the message, or choose a longer context in Settings.</source>
        <translation>Kürze die Nachricht oder wähle in den Einstellungen einen längeren Kontext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="69"/>
        <source>The message does not fit in the context</source>
        <translation>Die Nachricht passt nicht in den Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="71"/>
        <source>The answer failed</source>
        <translation>Die Antwort ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>HistoryFiles</name>
    <message>
        <location filename="../../app/ui/history_files.py" line="70"/>
        <source>The conversation could not be exported</source>
        <translation>Das Gespräch konnte nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="77"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="78"/>
        <location filename="../../app/ui/history_files.py" line="118"/>
        <location filename="../../app/ui/history_files.py" line="173"/>
        <source>Cove JSON (*.json)</source>
        <translation>Cove-JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="80"/>
        <source>Markdown with the model&apos;s reasoning (*.md)</source>
        <translation>Markdown mit dem Gedankengang des Modells (*.md)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="82"/>
        <location filename="../../app/ui/history_files.py" line="117"/>
        <source>Cove JSON with the model&apos;s reasoning (*.json)</source>
        <translation>Cove-JSON mit dem Gedankengang des Modells (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="86"/>
        <source>Conversation</source>
        <translation>Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="87"/>
        <source>Export conversation</source>
        <translation>Gespräch exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="107"/>
        <source>The conversations could not be exported</source>
        <translation>Die Gespräche konnten nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="114"/>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="115"/>
        <source>There are no conversations yet.</source>
        <translation>Es gibt noch keine Gespräche.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="120"/>
        <source>Export all conversations</source>
        <translation>Alle Gespräche exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="163"/>
        <source>Cove could not write “%1”: %2. Nothing was changed there; choose another folder and try again.</source>
        <translation>Cove konnte „%1“ nicht schreiben: %2. Dort wurde nichts verändert; wähle einen anderen Ordner und versuche es noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="172"/>
        <source>Import conversations</source>
        <translation>Gespräche importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="173"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="179"/>
        <source>The file could not be imported</source>
        <translation>Die Datei konnte nicht importiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="180"/>
        <source>Nothing was imported.</source>
        <translation>Es wurde nichts importiert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="184"/>
        <source>Cove could not read “%1”: %2.</source>
        <translation>Cove konnte „%1“ nicht lesen: %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="191"/>
        <source>“%1” is not a file exported by Cove: it does not hold valid JSON text.</source>
        <translation>„%1“ ist keine von Cove exportierte Datei: Sie enthält keinen gültigen JSON-Text.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="199"/>
        <source>“%1” is not a conversation exported by Cove, or it was changed since.</source>
        <translation>„%1“ ist kein von Cove exportiertes Gespräch, oder die Datei wurde seitdem verändert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="207"/>
        <source>Nothing to import</source>
        <translation>Nichts zu importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="208"/>
        <source>“%1” holds no conversations.</source>
        <translation>„%1“ enthält keine Gespräche.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="210"/>
        <source>Conversations imported</source>
        <translation>Gespräche importiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="211"/>
        <source>%1 conversations were added to your history.</source>
        <translation>%1 Gespräche wurden deinem Verlauf hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/window.py" line="172"/>
        <source>Models…</source>
        <translation>Modelle…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="173"/>
        <source>This computer…</source>
        <translation>Dieser Computer…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="174"/>
        <source>Get started…</source>
        <translation>Erste Schritte…</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="184"/>
        <source>That file cannot be used</source>
        <translation>Diese Datei kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="219"/>
        <location filename="../../app/ui/window.py" line="248"/>
        <location filename="../../app/ui/window.py" line="531"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="314"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="451"/>
        <source>Open a model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="451"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="458"/>
        <source>An answer is being written</source>
        <translation>Eine Antwort wird gerade geschrieben</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="459"/>
        <source>Stop it first, then open the other model.</source>
        <translation>Halte sie zuerst an, dann öffne das andere Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="495"/>
        <source>the model</source>
        <translation>das Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="500"/>
        <source>Loading the model…</source>
        <translation>Modell wird geladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="502"/>
        <source>Open a model to start.</source>
        <translation>Öffne ein Modell, um zu beginnen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="613"/>
        <source>%1 earlier message(s) no longer fit in the model&apos;s context and were left out of this answer.</source>
        <translation>%1 frühere Nachricht(en) passen nicht mehr in den Kontext des Modells und blieben bei dieser Antwort außen vor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="636"/>
        <source>The answer could not be saved</source>
        <translation>Die Antwort konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="674"/>
        <source>The answer is not being saved</source>
        <translation>Die Antwort wird nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="724"/>
        <source>Delete message</source>
        <translation>Nachricht löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="725"/>
        <source>Delete this message and everything after it in this branch? This cannot be undone.</source>
        <translation>Diese Nachricht und alles danach in diesem Zweig löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/window.py" line="780"/>
        <source>The history could not be changed</source>
        <translation>Der Verlauf konnte nicht geändert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="107"/>
        <source>The history was damaged</source>
        <translation>Der Verlauf war beschädigt</translation>
    </message>
</context>
<context>
    <name>ProseBlock</name>
    <message>
        <location filename="../../app/ui/markdown.py" line="258"/>
        <source>Answer text</source>
        <translation>Antworttext</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs.py" line="47"/>
        <location filename="../../app/ui/dialogs.py" line="48"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="55"/>
        <location filename="../../app/ui/dialogs.py" line="60"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="56"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="56"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="58"/>
        <source>Theme</source>
        <translation>Erscheinungsbild</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="63"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="64"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="66"/>
        <source>&amp;Theme:</source>
        <translation>&amp;Erscheinungsbild:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="67"/>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="68"/>
        <source>A new language shows the next time Cove starts.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Cove.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="74"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="74"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="75"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="77"/>
        <source>Default reasoning effort</source>
        <translation>Standard-Denkaufwand</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="80"/>
        <source>For example: Answer briefly. I am a software developer.</source>
        <translation>Zum Beispiel: Antworte knapp. Ich bin Softwareentwickler.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="81"/>
        <source>Default instructions</source>
        <translation>Standardanweisungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="87"/>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="88"/>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="89"/>
        <source>Longest answer</source>
        <translation>Längste Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="90"/>
        <source>Answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="92"/>
        <source>Default &amp;effort:</source>
        <translation>Standard-&amp;Aufwand:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="93"/>
        <source>Default &amp;instructions:</source>
        <translation>Standard&amp;anweisungen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="94"/>
        <source>Longest &amp;answer:</source>
        <translation>&amp;Längste Antwort:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="97"/>
        <source>Use the model&apos;s recommended sampling</source>
        <translation>Vom Modell empfohlenes Sampling verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="99"/>
        <source>For gpt-oss: temperature 1.0 and top-p 1.0, as OpenAI recommends.</source>
        <translation>Für gpt-oss: Temperatur 1,0 und Top-p 1,0, wie von OpenAI empfohlen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="102"/>
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="102"/>
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="103"/>
        <source>Top-k (0: off):</source>
        <translation>Top-k (0: aus):</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="103"/>
        <source>Min-p:</source>
        <translation>Min-p:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="104"/>
        <source>Repeat penalty:</source>
        <translation>Wiederholungsstrafe:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="105"/>
        <source>Generation</source>
        <translation>Generierung</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="119"/>
        <source>Automatic (the largest that fits)</source>
        <translation>Automatisch (der größte, der passt)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="121"/>
        <location filename="../../app/ui/dialogs.py" line="204"/>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="123"/>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="126"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="128"/>
        <source>Automatic lets Cove plan for this computer; 0 runs on the CPU only; a large number puts every layer on the graphics card.</source>
        <translation>Automatisch lässt Cove für diesen Computer planen; 0 rechnet nur auf dem Prozessor; eine große Zahl legt jede Schicht auf die Grafikkarte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="127"/>
        <source>Layers on the GPU</source>
        <translation>Schichten auf der GPU</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="131"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="133"/>
        <source>&amp;Context length:</source>
        <translation>&amp;Kontextlänge:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="134"/>
        <source>Layers on the &amp;GPU:</source>
        <translation>Schichten auf der &amp;GPU:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="135"/>
        <source>A longer context remembers more of the conversation and needs more memory. Changes reload the model.</source>
        <translation>Ein längerer Kontext behält mehr vom Gespräch und braucht mehr Speicher. Änderungen laden das Modell neu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="142"/>
        <source>Your data</source>
        <translation>Deine Daten</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="147"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="148"/>
        <source>Open the data folder</source>
        <translation>Datenordner öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="155"/>
        <source>Conversations and models:</source>
        <translation>Gespräche und Modelle:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="159"/>
        <source>Settings file:</source>
        <translation>Einstellungsdatei:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="160"/>
        <source>Everything stays on this computer. Cove sends nothing anywhere unless you download a model.</source>
        <translation>Alles bleibt auf diesem Computer. Cove sendet nichts, außer du lädst ein Modell herunter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="177"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="178"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="180"/>
        <source>Restore defaults</source>
        <translation>Standardwerte</translation>
    </message>
</context>
<context>
    <name>SiblingNav</name>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>Previous version</source>
        <translation>Vorherige Version</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="62"/>
        <source>Next version</source>
        <translation>Nächste Version</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="76"/>
        <source>Version %1 of %2</source>
        <translation>Version %1 von %2</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../app/ui/sidebar.py" line="76"/>
        <location filename="../../app/ui/sidebar.py" line="78"/>
        <location filename="../../app/ui/sidebar.py" line="212"/>
        <location filename="../../app/ui/sidebar.py" line="306"/>
        <location filename="../../app/ui/sidebar.py" line="320"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="77"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Neues Gespräch beginnen (Strg+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="85"/>
        <source>Search all chats (Ctrl+K)</source>
        <translation>Alle Chats durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="86"/>
        <source>Search all chats</source>
        <translation>Alle Chats durchsuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="89"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="101"/>
        <source>Conversations</source>
        <translation>Gespräche</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="114"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="120"/>
        <source>Nothing found.</source>
        <translation>Nichts gefunden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="129"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="130"/>
        <source>Undo delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="144"/>
        <location filename="../../app/ui/sidebar.py" line="146"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="145"/>
        <source>Settings (Ctrl+,)</source>
        <translation>Einstellungen (Strg+,)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="151"/>
        <location filename="../../app/ui/sidebar.py" line="265"/>
        <source>Export conversation…</source>
        <translation>Gespräch exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="155"/>
        <source>Export all conversations…</source>
        <translation>Alle Gespräche exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="157"/>
        <source>Import conversations…</source>
        <translation>Gespräche importieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="165"/>
        <location filename="../../app/ui/sidebar.py" line="166"/>
        <source>Export and import conversations</source>
        <translation>Gespräche exportieren und importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="203"/>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="261"/>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="263"/>
        <source>Unpin</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="263"/>
        <source>Pin</source>
        <translation>Anheften</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="267"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar.py" line="319"/>
        <source>“%1” deleted.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
</context>
<context>
    <name>SystemPromptDialog</name>
    <message>
        <location filename="../../app/ui/dialogs.py" line="236"/>
        <source>Instructions for this conversation</source>
        <translation>Anweisungen für dieses Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="239"/>
        <source>The model follows these instructions for every answer in this conversation (a system prompt). Leave it empty to use the default from Settings.</source>
        <translation>Das Modell befolgt diese Anweisungen bei jeder Antwort in diesem Gespräch (ein Systemprompt). Leer lassen, um die Standardanweisungen aus den Einstellungen zu verwenden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="243"/>
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="246"/>
        <source>For example: You are a patient maths tutor. Explain each step.</source>
        <translation>Zum Beispiel: Du bist ein geduldiger Mathe-Nachhilfelehrer. Erkläre jeden Schritt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="250"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="251"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>ThinkingBlock</name>
    <message>
        <location filename="../../app/ui/messages.py" line="144"/>
        <location filename="../../app/ui/messages.py" line="148"/>
        <source>Answer now</source>
        <translation>Jetzt antworten</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="147"/>
        <source>Stop thinking and write the answer straight away</source>
        <translation>Nicht weiter nachdenken und sofort die Antwort schreiben</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="226"/>
        <source>Reasoning</source>
        <translation>Gedankengang</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="234"/>
        <source>Hide the reasoning</source>
        <translation>Gedankengang ausblenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="234"/>
        <source>Show the reasoning</source>
        <translation>Gedankengang einblenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="246"/>
        <source>Answering…</source>
        <translation>Antwortet …</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="252"/>
        <source>Thinking… %1 s</source>
        <translation>Denkt nach … %1 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="257"/>
        <source>Thought for %1 s · %2 tokens</source>
        <translation>%1 s nachgedacht · %2 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="260"/>
        <source>Thought · %1 tokens</source>
        <translation>Nachgedacht · %1 Token</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../../app/ui/topbar.py" line="41"/>
        <location filename="../../app/ui/topbar.py" line="42"/>
        <source>Show or hide the sidebar</source>
        <translation>Seitenleiste ein- oder ausblenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="45"/>
        <source>Conversation title</source>
        <translation>Titel des Gesprächs</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="55"/>
        <location filename="../../app/ui/topbar.py" line="113"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="64"/>
        <source>Loading</source>
        <translation>Lädt</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="68"/>
        <source>Runs on</source>
        <translation>Läuft auf</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="72"/>
        <source>Context used</source>
        <translation>Belegter Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="75"/>
        <source>Speed of the last answer</source>
        <translation>Tempo der letzten Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="78"/>
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="80"/>
        <source>Instructions for this conversation (system prompt)</source>
        <translation>Anweisungen für dieses Gespräch (Systemprompt)</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="82"/>
        <source>Instructions for this conversation</source>
        <translation>Anweisungen für dieses Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="101"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="108"/>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="109"/>
        <source>Choose a model</source>
        <translation>Modell wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="116"/>
        <source>Where the model runs</source>
        <translation>Worauf das Modell läuft</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="126"/>
        <source>%1 tokens of context</source>
        <translation>%1 Token Kontext</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="129"/>
        <source>Context %1 / %2</source>
        <translation>Kontext %1 / %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="131"/>
        <source>How much of the model&apos;s memory for this conversation is in use</source>
        <translation>Wie viel vom Gedächtnis des Modells dieses Gespräch belegt</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="138"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/topbar.py" line="158"/>
        <source>Open a model file…</source>
        <translation>Modelldatei öffnen …</translation>
    </message>
</context>
<context>
    <name>UserMessage</name>
    <message>
        <location filename="../../app/ui/messages.py" line="305"/>
        <source>Your message</source>
        <translation>Deine Nachricht</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="316"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="318"/>
        <source>Edit and send again</source>
        <translation>Bearbeiten und erneut senden</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="319"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="346"/>
        <source>Show all (%1 characters)</source>
        <translation>Alles zeigen (%1 Zeichen)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="350"/>
        <source>Show less</source>
        <translation>Weniger zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="374"/>
        <source>Edit your message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="378"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="381"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
</TS>
