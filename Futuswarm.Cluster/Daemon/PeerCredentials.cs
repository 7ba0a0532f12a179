using System.Net.Sockets;

namespace Futuswarm.Cluster.Daemon;

/// <summary>SO_PEERCRED: which uid is on the other end of a unix socket, as the kernel says.</summary>
public static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static (int Pid, int Uid, int Gid) Of(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[12];
        socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer);
        return (BitConverter.ToInt32(buffer[..4]), BitConverter.ToInt32(buffer[4..8]), BitConverter.ToInt32(buffer[8..12]));
    }
}
