// The console's only script of its own. No inline script anywhere: the CSP forbids it.
window.rdConsole = {
    // Remembers light/dark for a year; read by the server when the next page loads.
    rememberTheme: function (value) {
        var secure = location.protocol === "https:" ? "; Secure" : "";
        document.cookie = "rd.theme=" + (value === "dark" ? "dark" : "light") + "; Path=/; Max-Age=31536000; SameSite=Lax" + secure;
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
    markInteractive: function () { document.body.setAttribute("data-interactive", "true"); },
    copyText: function (text) {
        return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject("clipboard unavailable");
    }
};

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
