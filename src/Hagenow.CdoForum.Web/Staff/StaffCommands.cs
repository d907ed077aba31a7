namespace Hagenow.CdoForum.Web.Staff;

/// <summary>`staff add|list|remove`.</summary>
public static class StaffCommands
{
    public static Task<int> RunAsync(string[] args, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        _ = args;
        _ = services;
        _ = input;
        _ = output;
        error.WriteLine("Der Befehl „staff“ ist noch nicht verfügbar.");
        return Task.FromResult(1);
    }
}
