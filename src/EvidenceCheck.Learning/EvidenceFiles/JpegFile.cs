namespace EvidenceCheck.Learning.EvidenceFiles;

/// <summary>
/// Writes a real baseline JPEG: an APP1 Exif segment built here (see <see cref="TiffExif"/>) and a
/// small greyscale image of flat 8×8 blocks. Only DC coefficients are coded (every block ends at
/// once), which any decoder reads and keeps files a few hundred bytes long.
/// </summary>
public static class JpegFile
{
    // Standard luminance DC table (ITU T.81 Annex K.3): code lengths 1..16 and symbols (categories 0..11).
    private static readonly byte[] DcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    // AC table with one symbol, end-of-block (0x00), coded "0": no block has AC coefficients.
    private static readonly byte[] AcCounts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] AcSymbols = [0x00];
    private const int Quantiser = 16;

    /// <param name="width">Rounded up to a multiple of 8.</param>
    /// <param name="grey">Base grey level; a darker band across the middle makes files differ.</param>
    public static byte[] Write(int width, int height, byte grey, ExifFields? exif = null)
    {
        width = (width + 7) / 8 * 8;
        height = (height + 7) / 8 * 8;
        using var ms = new MemoryStream();
        ms.Write([0xFF, 0xD8]); // SOI
        if (exif is not null) Segment(ms, 0xE1, [.. "Exif\0\0"u8, .. TiffExif.Build(exif)]);
        var dqt = new byte[65];
        Array.Fill(dqt, (byte)Quantiser);
        dqt[0] = 0x00; // 8-bit precision, table 0
        Segment(ms, 0xDB, dqt);
        Segment(ms, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        Segment(ms, 0xC4, [0x00, .. DcCounts, .. DcSymbols]);
        Segment(ms, 0xC4, [0x10, .. AcCounts, .. AcSymbols]);
        Segment(ms, 0xDA, [1, 1, 0x00, 0, 63, 0]);
        WriteScan(ms, width / 8, height / 8, grey);
        ms.Write([0xFF, 0xD9]); // EOI
        return ms.ToArray();
    }

    private static void Segment(Stream s, byte marker, byte[] body)
    {
        var length = body.Length + 2;
        if (length > 0xFFFF) throw new ArgumentException("JPEG segment too long", nameof(body));
        s.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        s.Write(body);
    }

    private static void WriteScan(Stream s, int blocksWide, int blocksHigh, byte grey)
    {
        var dcCodes = CanonicalCodes(DcCounts, DcSymbols);
        var bits = new BitWriter(s);
        var previous = 0;
        for (var by = 0; by < blocksHigh; by++)
        for (var bx = 0; bx < blocksWide; bx++)
        {
            var band = by == blocksHigh / 2;
            var level = band ? grey / 2 : grey;
            // A flat block's DC coefficient is 8 × (level − 128); quantised by the table's first entry.
            var dc = (int)Math.Round(8.0 * (level - 128) / Quantiser);
            var diff = dc - previous;
            previous = dc;
            var category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
            var (code, length) = dcCodes[category];
            bits.Write(code, length);
            if (category > 0) bits.Write(diff >= 0 ? diff : diff + (1 << category) - 1, category);
            bits.Write(0, 1); // end of block
        }
        bits.Flush();
    }

    private static Dictionary<int, (int Code, int Length)> CanonicalCodes(byte[] counts, byte[] symbols)
    {
        var codes = new Dictionary<int, (int, int)>();
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++) codes[symbols[k++]] = (code++, length);
            code <<= 1;
        }
        return codes;
    }

    private sealed class BitWriter(Stream s)
    {
        private int _buffer, _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) Write(1, 1); // pad with 1-bits, as T.81 asks
        }

        private void Emit()
        {
            s.WriteByte((byte)_buffer);
            if (_buffer == 0xFF) s.WriteByte(0x00); // byte stuffing
            _buffer = 0;
            _count = 0;
        }
    }
}
