// Every file of the build project sees the framework and the local-cluster types without usings.
global using Futuswarm.Build.Framework;
global using Futuswarm.Build.LocalCluster;

// The local cluster is Linux-only (dockerd, /proc, unix modes): no per-call platform checks.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
