# Build Cove's Windows installer: the frozen app, a smoke test, then Inno Setup.
#
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1 [-Variant cpu|cuda]
#
# Run on Windows 10/11 x64 in a checkout whose .venv has the engine for the variant
# (for CUDA: $env:COVE_ENGINE_BACKEND = "cuda"; python tools\install_engine.py, with
# the CUDA toolkit installed and CUDA_PATH set) and pyproject's test and package
# extras. Needs Inno Setup 6 (iscc on PATH, or in its default folder).
#
# Optional environment:
#   COVE_SMOKE_MODEL           a GGUF file for the smoke test (default: the Gemma test model)
#   COVE_SIGN_CERT_THUMBPRINT  sign Cove.exe and the installer with this certificate
#                              from the user's store (signtool from the Windows SDK)
#   COVE_SIGN_TIMESTAMP_URL    RFC 3161 timestamp server (default: DigiCert's)
param(
    [ValidateSet("cpu", "cuda")] [string] $Variant = "cpu"
)
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
$py = Join-Path $root ".venv\Scripts\python.exe"

$env:COVE_VARIANT = $Variant
& $py (Join-Path $root "tools\package_build.py")
if ($LASTEXITCODE -ne 0) { throw "PyInstaller build failed" }

$smokeArgs = @()
if ($env:COVE_SMOKE_MODEL) { $smokeArgs = @("--model", $env:COVE_SMOKE_MODEL) }
& $py (Join-Path $root "tools\package_smoke.py") @smokeArgs
if ($LASTEXITCODE -ne 0) { throw "The frozen app failed its smoke test" }

$version = (& $py (Join-Path $root "tools\packaging_meta.py") version).Trim()
$numeric = (& $py (Join-Path $root "tools\packaging_meta.py") numeric_version).Trim()

$iscc = Get-Command iscc -ErrorAction SilentlyContinue
$isccPath = if ($iscc) { $iscc.Source } else { "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $isccPath)) { throw "Inno Setup 6 is not installed (iscc not found)" }

$isccArgs = @("/DAppVersion=$version", "/DAppNumericVersion=$numeric", "/DVariant=$Variant")
if ($env:COVE_SIGN_CERT_THUMBPRINT) {
    $ts = if ($env:COVE_SIGN_TIMESTAMP_URL) { $env:COVE_SIGN_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    $sign = "signtool.exe sign /sha1 $($env:COVE_SIGN_CERT_THUMBPRINT) /fd sha256 /tr $ts /td sha256"
    & signtool.exe sign /sha1 $env:COVE_SIGN_CERT_THUMBPRINT /fd sha256 /tr $ts /td sha256 (Join-Path $root "dist\Cove\Cove.exe")
    if ($LASTEXITCODE -ne 0) { throw "Signing Cove.exe failed" }
    $isccArgs += @("/Scove=$sign `$f", "/DSignTool=cove")
}
& $isccPath @isccArgs (Join-Path $PSScriptRoot "cove.iss")
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "Built dist\Cove-$version-windows-x64-$Variant-setup.exe"
