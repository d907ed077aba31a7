using Microsoft.AspNetCore.Identity;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>A KTS staff account; the user name is the e-mail address.</summary>
public sealed class StaffUser : IdentityUser
{
}
