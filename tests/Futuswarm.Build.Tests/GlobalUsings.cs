global using Futuswarm.Build.Framework;
global using Futuswarm.Build.LocalCluster;

// The build project is Linux-only; so are its tests (printf, sh, absolute POSIX paths).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
