using System.Globalization;
using System.Security;
using System.Text;
using PdfSharp.Pdf;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>
/// PDF/UA-1 needs XMP metadata with <c>dc:title</c> and <c>pdfuaid:part</c> 1. PDFsharp 6.2 creates its metadata
/// stream while saving (so it cannot be replaced beforehand), without a pdfuaid entry and with the title unescaped.
/// It writes that stream as the last object before a classic xref table; this rewrites just that object, moves the
/// xref table and fixes <c>startxref</c>. Every other object keeps its offset, so the xref entries stay valid.
/// </summary>
internal static class PdfUaMetadata
{
    public static void Replace(ReadOnlySpan<byte> pdf, PdfDocumentInformation info, Stream output)
    {
        var xref = pdf.LastIndexOf("\nxref\n"u8) + 1;
        var startXref = pdf.LastIndexOf("startxref"u8);
        if (xref <= 0 || startXref < xref)
        {
            throw new InvalidOperationException("PDFsharp wrote no classic xref table; cannot add PDF/UA metadata.");
        }

        var metadataStart = LastObjectStart(pdf[..xref]);
        var head = pdf[metadataStart..xref];
        if (head.IndexOf("/Metadata"u8) < 0)
        {
            throw new InvalidOperationException("The last object PDFsharp wrote is not its XMP metadata.");
        }

        var objectLine = head[..(head.IndexOf((byte)'\n') + 1)];
        var xmp = Encoding.UTF8.GetBytes(Xmp(info));
        var dictionary = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"<<\n/Length {xmp.Length}\n/Subtype /XML\n/Type /Metadata\n>>\nstream\n"));

        output.Write(pdf[..metadataStart]);
        output.Write(objectLine);
        output.Write(dictionary);
        output.Write(xmp);
        output.Write("\nendstream\nendobj\n"u8);
        var newXref = metadataStart + objectLine.Length + dictionary.Length + xmp.Length + "\nendstream\nendobj\n"u8.Length;
        output.Write(pdf[xref..startXref]);
        output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"startxref\n{newXref}\n%%EOF\n")));
    }

    /// <summary>Start of the line "N 0 obj" that begins the last object.</summary>
    private static int LastObjectStart(ReadOnlySpan<byte> pdf)
    {
        var end = pdf.LastIndexOf(" obj\n"u8);
        if (end < 0)
        {
            throw new InvalidOperationException("No object found.");
        }

        return pdf[..end].LastIndexOf((byte)'\n') + 1;
    }

    private static string Xmp(PdfDocumentInformation info)
    {
        static string X(string? value) => SecurityElement.Escape(value ?? "");
        var created = info.CreationDate.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return $"""
            <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
              <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
                <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <dc:format>application/pdf</dc:format>
                  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{X(info.Title)}</rdf:li></rdf:Alt></dc:title>
                  <dc:creator><rdf:Seq><rdf:li>{X(info.Author)}</rdf:li></rdf:Seq></dc:creator>
                  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{X(info.Subject)}</rdf:li></rdf:Alt></dc:description>
                  <dc:language><rdf:Bag><rdf:li>de</rdf:li></rdf:Bag></dc:language>
                </rdf:Description>
                <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
                  <pdf:Producer>{X(info.Producer)}</pdf:Producer>
                </rdf:Description>
                <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
                  <xmp:CreatorTool>{X(info.Creator)}</xmp:CreatorTool>
                  <xmp:CreateDate>{created}</xmp:CreateDate>
                  <xmp:ModifyDate>{created}</xmp:ModifyDate>
                </rdf:Description>
                <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
                  <pdfuaid:part>1</pdfuaid:part>
                </rdf:Description>
              </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """;
    }
}
