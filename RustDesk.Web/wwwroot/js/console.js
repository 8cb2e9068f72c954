// The console's only script of its own. No inline script anywhere: the CSP forbids it.
window.rdConsole = {
    // Remembers light/dark for a year; read by the server when the next page loads. The server names the cookie
    // (data-theme-cookie: "__Host-rd.theme" under HTTPS, which must be Secure with Path=/, else "rd.theme").
    rememberTheme: function (value) {
        var name = document.body.getAttribute("data-theme-cookie") || "rd.theme";
        var secure = name.indexOf("__Host-") === 0 || location.protocol === "https:" ? "; Secure" : "";
        document.cookie = name + "=" + (value === "dark" ? "dark" : "light") + "; Path=/; Max-Age=31536000; SameSite=Lax" + secure;
        // The body outside MudBlazor's layout (its background, the error bar) follows at once, not at the next load.
        document.body.classList.toggle("rd-dark", value === "dark");
        document.body.classList.toggle("rd-light", value !== "dark");
    },
    download: function (fileName, text) {
        var url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
        var link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    },
    print: function () { window.print(); },
    // The browser's IANA time zone (e.g. "Europe/Berlin"), read once per circuit; times are shown in it. With the
    // short name the browser gives the zone at each of the instants (ms since 1970) in the page's language, e.g.
    // "MEZ"/"MESZ" in German; the server keeps only real abbreviations (not "GMT+1").
    timeZone: function (locale, instants) {
        var id = null, names = [];
        try { id = Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
        try {
            var format = new Intl.DateTimeFormat(locale || undefined, { timeZoneName: "short" });
            names = (instants || []).map(function (ms) {
                var part = format.formatToParts(new Date(ms)).filter(function (p) { return p.type === "timeZoneName"; })[0];
                return part ? part.value : null;
            });
        } catch (e) { names = []; }
        return { id: id, names: names };
    },
    markInteractive: function () { document.body.setAttribute("data-interactive", "true"); },
    copyText: function (text) {
        return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject("clipboard unavailable");
    }
};

// Every message (MudBlazor snackbar) carries the contract's data-testid="snackbar": MudBlazor renders the element
// itself and offers no way to add attributes to it, so they are marked as they appear (Blazor leaves attributes it
// did not set alone).
(function () {
    function markSnackbars(root) {
        if (!root.querySelectorAll) return;
        root.querySelectorAll(".mud-snackbar:not([data-testid])").forEach(function (s) { s.setAttribute("data-testid", "snackbar"); });
    }
    function start() {
        markSnackbars(document);
        new MutationObserver(function (changes) {
            changes.forEach(function (c) { c.addedNodes.forEach(function (n) { if (n.nodeType === 1) { markSnackbars(n.parentNode || n); } }); });
        }).observe(document.body, { childList: true, subtree: true });
    }
    if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();

// Show/hide buttons on the static sign-in pages: <button data-reveal="input-id">.
document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-reveal]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-reveal"));
    if (!input) return;
    var show = input.type === "password";
    input.type = show ? "text" : "password";
    button.setAttribute("aria-pressed", show ? "true" : "false");
});

// Resend buttons: <button data-countdown="60" data-countdown-label="Resend ({0})"> counts down, then enables.
// The server enforces the same wait; this only shows it.
function rdStartCountdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (button) {
        if (button.dataset.countdownStarted) return;
        button.dataset.countdownStarted = "1";
        var left = parseInt(button.getAttribute("data-countdown"), 10) || 0;
        var label = button.getAttribute("data-countdown-label") || "{0}";
        var original = null;
        if (left <= 0) return;
        var timer = setInterval(function () {
            left--;
            if (left <= 0) {
                clearInterval(timer);
                button.disabled = false;
                button.textContent = button.getAttribute("data-ready-label") || button.textContent.replace(/\s*\(?\d+\)?\s*$/, "");
                return;
            }
            button.textContent = label.replace("{0}", left);
        }, 1000);
    });
}
document.addEventListener("DOMContentLoaded", rdStartCountdowns);
if (window.Blazor && window.Blazor.addEventListener) { window.Blazor.addEventListener("enhancedload", rdStartCountdowns); }

// Dialogs: when the last one closes, the focus goes back to the element that opened it (WAI-ARIA modal dialog
// pattern) instead of falling to <body>, where a keyboard user would have to start again from the top. When the dialog
// replaced that element (Enable 2FA turns the button into a chip), the focus goes to the closest surrounding
// [data-focus-return] element (tabindex="-1") instead.
(function () {
    var opener = null, anchor = null;
    document.addEventListener("focusin", function (event) {
        var target = event.target;
        if (!target || !target.closest || target.closest(".mud-dialog-container")) return;
        opener = target;
        anchor = target.closest("[data-focus-return]");
    });
    new MutationObserver(function () {
        if (!opener || document.querySelector(".mud-dialog-container")) return;
        var active = document.activeElement;
        if (active && active !== document.body) return;
        if (opener.isConnected) opener.focus();
        else if (anchor && anchor.isConnected) anchor.focus();
    }).observe(document.body, { childList: true, subtree: true });
})();
