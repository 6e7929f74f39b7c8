#!/usr/bin/env pwsh
# Ops bootstrap for PowerShell: find (or install) the .NET SDK pinned in global.json, build the build
# project only when its inputs changed since the last build, then run it and return its exit code.
[CmdletBinding()]
Param(
    [Parameter(Position = 0, Mandatory = $false, ValueFromRemainingArguments = $true)]
    [string[]]$BuildArguments
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version 2.0

$Root = $PSScriptRoot
$TempDir = Join-Path $Root ".nuke/temp"
$Project = Join-Path $Root "build/_build.csproj"
$OutDir = Join-Path $TempDir "build-bin"
$BuildDll = Join-Path $OutDir "_build.dll"
$Stamp = Join-Path $TempDir "build.stamp"
$DotNetInstallUrl = "https://dot.net/v1/dotnet-install.ps1"

$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1
$env:DOTNET_NOLOGO = 1
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = 1
if ($null -eq $BuildArguments) { $BuildArguments = @() }

# A hash of every input of the build project (content, not timestamps).
function Get-Fingerprint {
    $files = @()
    foreach ($dir in "build", "src") {
        $full = Join-Path $Root $dir
        if (Test-Path $full) {
            $files += Get-ChildItem -Path $full -Recurse -File | Where-Object {
                $relative = [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/')
                $relative -notmatch '(^|/)(bin|obj)/'
            }
        }
    }
    foreach ($name in "global.json", "Directory.Build.props", "Directory.Packages.props", "NuGet.config") {
        $path = Join-Path $Root $name
        if (Test-Path $path) { $files += Get-Item $path }
    }
    $lines = $files | Sort-Object FullName | ForEach-Object {
        "{0} {1}" -f (Get-FileHash -Algorithm SHA256 -LiteralPath $_.FullName).Hash, [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/')
    }
    $bytes = [Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    $sha = [Security.Cryptography.SHA256]::Create()
    try { return [BitConverter]::ToString($sha.ComputeHash($bytes)).Replace("-", "") } finally { $sha.Dispose() }
}

function Test-Sdk([string]$DotNet) {
    Push-Location $Root
    try {
        & $DotNet --version *> $null
        return $LASTEXITCODE -eq 0
    } catch {
        return $false
    } finally {
        Pop-Location
    }
}

# Warm path: inputs unchanged since the last build, and the dotnet that built it is still there.
if ((Test-Path $Stamp) -and (Test-Path $BuildDll)) {
    $stamped = @(Get-Content $Stamp)
    if ($stamped.Count -ge 2 -and (Test-Path $stamped[1]) -and $stamped[0] -eq (Get-Fingerprint)) {
        & $stamped[1] $BuildDll @BuildArguments
        exit $LASTEXITCODE
    }
}

# Cold path: find or install the SDK, then build.
$onPath = Get-Command "dotnet" -ErrorAction SilentlyContinue
if ($null -ne $onPath -and (Test-Sdk $onPath.Source)) {
    $DotNet = $onPath.Source
} else {
    $DotNetDir = Join-Path $TempDir "dotnet-win"
    $DotNet = Join-Path $DotNetDir $(if ($IsWindows -or $env:OS -eq "Windows_NT") { "dotnet.exe" } else { "dotnet" })
    if (-not ((Test-Path $DotNet) -and (Test-Sdk $DotNet))) {
        $globalJson = Get-Content (Join-Path $Root "global.json") -Raw | ConvertFrom-Json
        $version = $globalJson.sdk.version
        Write-Host "Installing .NET SDK $version into .nuke/temp/dotnet-win (no suitable dotnet on PATH)..."
        New-Item -ItemType Directory -Path $TempDir -Force | Out-Null
        $installer = Join-Path $TempDir "dotnet-install.ps1"
        [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
        (New-Object Net.WebClient).DownloadFile($DotNetInstallUrl, $installer)
        & powershell -NoProfile -ExecutionPolicy Bypass -File $installer -InstallDir $DotNetDir -Version $version -NoPath
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
}
$env:DOTNET_ROOT = Split-Path $DotNet -Parent

New-Item -ItemType Directory -Path $TempDir -Force | Out-Null
$before = Get-Fingerprint
Write-Host "Building the build project (its inputs changed since the last build)..."
& $DotNet build $Project -c Release -o $OutDir --nologo -v quiet -clp:NoSummary
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Set-Content -Path "$Stamp.tmp" -Value @($before, $DotNet)
Move-Item -Path "$Stamp.tmp" -Destination $Stamp -Force

& $DotNet $BuildDll @BuildArguments
exit $LASTEXITCODE
