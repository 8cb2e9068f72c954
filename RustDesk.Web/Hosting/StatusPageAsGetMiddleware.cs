using Microsoft.AspNetCore.Diagnostics;

namespace RustDesk.Web.Hosting;

/// <summary>
/// A status page re-executed for a refused form post (429 from the rate limiter, 400, 503) is rendered as a GET:
/// re-executed as a POST it would go through the form's antiforgery check again and, without a valid token, turn the
/// refusal into a bare 400. The page only shows the status; the original method stays in the re-execute feature.
/// </summary>
public sealed class StatusPageAsGetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Request.Method = HttpMethods.Get;
        }
        return next(context);
    }
}
