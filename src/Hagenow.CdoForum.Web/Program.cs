using Hagenow.CdoForum.Web;
using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Calendar;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Documents;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Hagenow.CdoForum.Web.Staff;

var builder = WebApplication.CreateBuilder(args);
if (CommandLine.IsCommand(args))
{
    CommandLine.ConfigureLogging(builder.Logging);
}

List<string> startupErrors =
[
    .. SiteSetup.StartupErrors(builder.Configuration, builder.Environment),
    .. DataSetup.StartupErrors(builder.Configuration, builder.Environment),
];
if (startupErrors.Count > 0)
{
    foreach (var error in startupErrors)
    {
        await Console.Error.WriteLineAsync(error);
    }

    return 1;
}

SiteClock.AddSiteClock(builder.Services, builder.Configuration, builder.Environment);
builder.Services.AddData(builder.Configuration, builder.Environment);
builder.Services.AddSite(builder.Configuration, builder.Environment);
builder.Services.AddEvents();
builder.Services.AddRegistrations(builder.Configuration);
builder.Services.AddMail(builder.Configuration, builder.Environment);
builder.Services.AddCalendar();
builder.Services.AddDocuments(builder.Configuration);
builder.Services.AddStaff(builder.Configuration, builder.Environment);
builder.Services.AddAttendees();
builder.Services.AddPrivacy(builder.Configuration);

var app = builder.Build();

await app.Services.MigrateDatabaseAsync(then: services => services.SeedEventsAsync());

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(args, app.Services);
}

app.UseSite();
app.UseStaff();
app.MapSite();
app.MapEvents();
app.MapCalendar();
app.MapDocuments();

await app.RunAsync();
return 0;

/// <summary>Lets WebApplicationFactory find the entry point.</summary>
public partial class Program;
