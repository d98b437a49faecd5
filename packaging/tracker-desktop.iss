; Windows installer (Inno Setup 6) for the onedir bundle in dist\tracker-desktop.
; Build:  iscc /DAppVersion=<version from pyproject.toml> packaging\tracker-desktop.iss
; (the release workflow passes the version read by packaging\version.py).
; Per-user: installs under %LOCALAPPDATA%\Programs, no administrator rights asked.
; The dealer's data (%LOCALAPPDATA%\TrackerDesktop) is never touched by the installer; the
; uninstaller removes it only when the dealer says so.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\tracker-desktop.iss
#endif

[Setup]
AppId={{6C1F3B0E-5D3A-4C57-9F4E-7A8B2D41C9A1}
AppName=Tracker Desktop
AppVersion={#AppVersion}
AppVerName=Tracker Desktop {#AppVersion}
AppPublisher=Tracker Desktop
DefaultDirName={autopf}\Tracker Desktop
DefaultGroupName=Tracker Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=TrackerDesktop-{#AppVersion}-setup
SetupIconFile=resources\tracker.ico
UninstallDisplayIcon={app}\tracker-desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "dist\tracker-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Tracker Desktop"; Filename: "{app}\tracker-desktop.exe"
Name: "{autodesktop}\Tracker Desktop"; Filename: "{app}\tracker-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Run]
Filename: "{app}\tracker-desktop.exe"; Description: "{cm:LaunchProgram,Tracker Desktop}"; Flags: nowait postinstall skipifsilent

[Code]
{ The data folder (platformdirs: %LOCALAPPDATA%\TrackerDesktop) holds the database, PDFs,
  backups, log and settings. It stays unless the dealer answers Yes; a silent uninstall
  always keeps it. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\TrackerDesktop');
    if DirExists(DataDir) and not UninstallSilent() then
      if MsgBox('Also delete your invoices, clients, watches, PDFs and backups in ' + DataDir +
                '?' + #13#10 + #13#10 + 'Choose No to keep them for a later install.',
                mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;
