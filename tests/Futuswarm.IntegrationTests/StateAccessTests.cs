using System.Diagnostics;
using System.Net.Sockets;

namespace Futuswarm.IntegrationTests;

/// <summary>The local store (s3rver, which does not check signatures) answers root's processes only.</summary>
public sealed class StateAccessTests
{
    private const int S3Port = 4569;

    [Fact]
    public async Task Root_reaches_the_store_other_users_are_refused()
    {
        using (var client = new TcpClient())
            await client.ConnectAsync("127.0.0.1", S3Port);

        // The API login user is the one that must never reach the state; nobody stands in for any other local user.
        foreach (var user in new[] { "futuswarm", "nobody" })
        {
            var psi = new ProcessStartInfo("runuser", ["-u", user, "--", "/usr/bin/bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{S3Port}"])
            {
                RedirectStandardError = true, RedirectStandardOutput = true,
            };
            using var p = Process.Start(psi)!;
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode != 0, $"{user} could connect to the store's port");
        }
    }
}
