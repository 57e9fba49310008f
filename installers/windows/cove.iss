; Cove for Windows: Inno Setup 6 script (installers/README.md says how to build it).
;
;   iscc /DAppVersion=0.1.0 /DVariant=cpu installers\windows\cove.iss
;
; installers\windows\build.ps1 builds the frozen app and runs this with the version
; from pyproject.toml. The result is dist\Cove-<version>-windows-x64-<variant>-setup.exe.
;
; - Per user, no administrator rights: installs to %LOCALAPPDATA%\Programs\Cove.
; - Start menu entry; desktop shortcut when the user ticks it.
; - Upgrades in place: the same AppId for every version and for both variants, so a
;   new installer (CPU or CUDA) replaces the installed Cove, closing it first. The
;   old _internal folder is removed before the new files go in, so no library of the
;   previous version lingers beside the new ones.
; - Uninstalling keeps the user's models, chats and settings (%LOCALAPPDATA%\Cove),
;   unless the user says to delete them when asked, or passes /PURGEUSERDATA to a
;   silent uninstall.
; - Variant "cpu" runs everywhere; "cuda" bundles the CUDA runtime and needs an NVIDIA
;   driver, which setup checks for and warns about.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z (build.ps1 reads it from pyproject.toml)
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#ifndef Variant
  #define Variant "cpu"
#endif
#if Variant != "cpu" && Variant != "cuda"
  #error Variant must be cpu or cuda
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\Cove"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

; The same in tools/packaging_meta.py (WINDOWS_APP_GUID); never change it.
#define AppGuid "{6F2C4B8E-3D1A-4E5B-9C7F-2A8D0E4B1C35}"
#define AppName "Cove"
#define AppExe "Cove.exe"
#define Publisher "The Cove developers"
#define HomePage "https://github.com/cove-app/cove"

[Setup]
AppId={{#AppGuid}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
AppPublisherURL={#HomePage}
AppSupportURL={#HomePage}/issues
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
; Per user, never asks for administrator rights.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; Close a running Cove (and its model worker) before replacing its files.
CloseApplications=force
RestartApplications=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\..\resources\app-icon\cove.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=Cove-{#AppVersion}-windows-x64-{#Variant}-setup
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=4
; Signing runs only when build.ps1 defines a SignTool (a certificate is available).
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[CustomMessages]
english.DeleteUserData=Also delete your models, conversations and settings?%n%nThey are in %1. Choose No to keep them for a later installation of Cove.
german.DeleteUserData=Auch Ihre Modelle, Unterhaltungen und Einstellungen löschen?%n%nSie liegen in %1. Wählen Sie Nein, um sie für eine spätere Installation von Cove zu behalten.
english.NoNvidiaDriver=This is the CUDA version of Cove, for computers with an NVIDIA graphics card, but no NVIDIA driver was found.%n%nCove will still run on the processor. The CPU version of the installer is smaller. Continue anyway?
german.NoNvidiaDriver=Dies ist die CUDA-Version von Cove für Computer mit einer NVIDIA-Grafikkarte, aber es wurde kein NVIDIA-Treiber gefunden.%n%nCove läuft trotzdem auf dem Prozessor. Die CPU-Version des Installationsprogramms ist kleiner. Trotzdem fortfahren?

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled runtime as a whole.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "org.coveapp.Cove"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon; AppUserModelID: "org.coveapp.Cove"

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files Cove itself may have written beside the program (none today); never user data.
Type: dirifempty; Name: "{app}"

[Code]
const
  UserDataFolder = '{localappdata}\Cove';  // platformdirs' data, config, cache and logs

function HasParam(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
#if Variant == "cuda"
  if not FileExists(ExpandConstant('{sys}\nvcuda.dll')) and not WizardSilent then
    Result := MsgBox(CustomMessage('NoNvidiaDriver'), mbConfirmation, MB_YESNO) = IDYES;
#endif
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
  Purge: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := ExpandConstant(UserDataFolder);
  if not DirExists(Folder) then
    Exit;
  if UninstallSilent then
    Purge := HasParam('/PURGEUSERDATA')
  else
    Purge := MsgBox(FmtMessage(CustomMessage('DeleteUserData'), [Folder]),
                    mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Purge then
    DelTree(Folder, True, True, True);
end;
