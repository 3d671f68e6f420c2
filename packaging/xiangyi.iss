; Inno Setup script: a Windows installer from the one-folder build (dist\xiangyi).
; Build the folder first on Windows (python packaging\build.py --check), then compile
; this script with Inno Setup 6: iscc packaging\xiangyi.iss  (or open it in the IDE).
; The installer goes to dist\installer\Xiangyi-<version>-setup.exe.
;
; The app is installed per machine under Program Files; each user's database, logs and
; backups stay in their own data folder (%LOCALAPPDATA%\Xiangyi), which uninstalling
; leaves alone.

#define AppName "Xiangyi"
#define AppNameZh "乡医"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; The clinic build by default; iscc /DEdition=county packaging\xiangyi.iss packs the
; county hub's (dist\xiangyi-county, with PostgreSQL). Both are the same app (one AppId):
; installing one over the other replaces it.
#ifndef Edition
  #define Edition "clinic"
#endif
#if Edition == "county"
  #define SourceDir "..\dist\xiangyi-county"
  #define SetupName "Xiangyi-county-" + AppVersion + "-setup"
#else
  #define SourceDir "..\dist\xiangyi"
  #define SetupName "Xiangyi-" + AppVersion + "-setup"
#endif

[Setup]
; A fixed AppId keeps upgrades in place: never change it.
AppId={{5B0C3C43-8E0B-4B57-9C57-6E0F5A8B1D21}
AppName={#AppName} {#AppNameZh}
AppVersion={#AppVersion}
AppPublisher=Xiangyi project
DefaultDirName={autopf}\Xiangyi
DefaultGroupName={#AppName} {#AppNameZh}
DisableProgramGroupPage=yes
OutputDir=..\dist\installer
OutputBaseFilename={#SetupName}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
PrivilegesRequired=admin
WizardStyle=modern
UninstallDisplayIcon={app}\xiangyi.exe
LicenseFile={#SourceDir}\THIRD-PARTY-LICENCES\README.txt

[Languages]
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole folder, as built: the manifest check at start expects every file.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the built-in content completely (no stale case files).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName} {#AppNameZh}"; Filename: "{app}\xiangyi.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName} {#AppNameZh}"; Filename: "{app}\xiangyi.exe"; Tasks: desktopicon

[Run]
; The smoke test after installing (optional, unticked): a console window shows each check.
Filename: "{cmd}"; Parameters: "/k ""{app}\xiangyi-cli.exe"" --self-test"; Description: "Run the self-test (自检)"; Flags: postinstall unchecked
Filename: "{app}\xiangyi.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: postinstall nowait skipifsilent
