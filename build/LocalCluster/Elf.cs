namespace Futuswarm.Build.LocalCluster;

/// <summary>Reads just enough of an ELF header to tell a static executable (no PT_INTERP) from a dynamic one.</summary>
static class Elf
{
    public static bool IsStatic(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            using var r = new BinaryReader(f);
            if (r.ReadUInt32() != 0x464C457F || r.ReadByte() != 2) return false; // "\x7fELF", 64-bit
            f.Position = 0x20;
            var phoff = r.ReadInt64();
            f.Position = 0x36;
            var phentsize = r.ReadUInt16();
            var phnum = r.ReadUInt16();
            for (var i = 0; i < phnum; i++)
            {
                f.Position = phoff + (long)i * phentsize;
                if (r.ReadUInt32() == 3) return false; // PT_INTERP: needs the dynamic loader
            }
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
