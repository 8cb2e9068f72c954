// Passkeys (WebAuthn): navigator.credentials.create/get with base64url conversion. Called through IJSRuntime by the
// interactive components (rdPasskeys.create/get answer JSON text or an error code), and wired by event delegation on
// the static sign-in pages (no inline script: the CSP forbids it).
window.rdPasskeys = (function () {
    function toBytes(value) {
        var s = value.replace(/-/g, "+").replace(/_/g, "/");
        while (s.length % 4) s += "=";
        var raw = atob(s), bytes = new Uint8Array(raw.length);
        for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
        return bytes.buffer;
    }
    function toText(buffer) {
        if (!buffer) return null;
        var bytes = new Uint8Array(buffer), s = "";
        for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
        return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }
    function descriptors(list) {
        return (list || []).map(function (c) { return { type: c.type, id: toBytes(c.id), transports: c.transports }; });
    }
    function supported() {
        return !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create);
    }
    // "cancelled" (the user closed the prompt or it timed out), "unsupported", or "failed".
    function errorCode(error) {
        if (!supported()) return "unsupported";
        var name = error && error.name;
        return name === "NotAllowedError" || name === "AbortError" ? "cancelled"
            : name === "NotSupportedError" ? "unsupported" : "failed";
    }
    function create(optionsJson) {
        if (!supported()) return Promise.resolve({ error: "unsupported" });
        var o = JSON.parse(optionsJson);
        var publicKey = {
            rp: o.rp, challenge: toBytes(o.challenge), pubKeyCredParams: o.pubKeyCredParams, timeout: o.timeout,
            attestation: o.attestation || "none", authenticatorSelection: o.authenticatorSelection,
            excludeCredentials: descriptors(o.excludeCredentials),
            user: { id: toBytes(o.user.id), name: o.user.name, displayName: o.user.displayName }
        };
        return navigator.credentials.create({ publicKey: publicKey }).then(function (c) {
            return {
                json: JSON.stringify({
                    id: c.id, rawId: toText(c.rawId), type: c.type,
                    response: {
                        attestationObject: toText(c.response.attestationObject),
                        clientDataJSON: toText(c.response.clientDataJSON),
                        transports: c.response.getTransports ? c.response.getTransports() : []
                    },
                    clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
                })
            };
        }, function (e) { return { error: errorCode(e) }; });
    }
    function get(optionsJson) {
        if (!supported()) return Promise.resolve({ error: "unsupported" });
        var o = JSON.parse(optionsJson);
        var publicKey = {
            challenge: toBytes(o.challenge), timeout: o.timeout, rpId: o.rpId,
            allowCredentials: descriptors(o.allowCredentials), userVerification: o.userVerification || "preferred"
        };
        return navigator.credentials.get({ publicKey: publicKey }).then(function (c) {
            return {
                json: JSON.stringify({
                    id: c.id, rawId: toText(c.rawId), type: c.type,
                    response: {
                        authenticatorData: toText(c.response.authenticatorData),
                        clientDataJSON: toText(c.response.clientDataJSON),
                        signature: toText(c.response.signature),
                        userHandle: toText(c.response.userHandle)
                    },
                    clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
                })
            };
        }, function (e) { return { error: errorCode(e) }; });
    }

    // Static pages: <button data-passkey-form="form-id" data-passkey-options="{json}" | data-passkey-options-url="/…">.
    // The answer goes into the form's input[name="Passkey.Assertion"], and the form is submitted; a browser-side error
    // is shown in the form's [data-passkey-error] element, whose data-msg-<code> attributes hold the localized text.
    function showError(form, code) {
        var box = form.querySelector("[data-passkey-error]");
        if (!box) return;
        box.textContent = box.getAttribute("data-msg-" + code) || box.getAttribute("data-msg-failed");
        box.hidden = false;
    }
    function optionsFor(button) {
        var inline = button.getAttribute("data-passkey-options");
        if (inline) return Promise.resolve(inline);
        return fetch(button.getAttribute("data-passkey-options-url"), { method: "POST", credentials: "same-origin" })
            .then(function (r) { if (!r.ok) throw new Error("options " + r.status); return r.text(); });
    }
    document.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("[data-passkey-form]") : null;
        if (!button) return;
        event.preventDefault();
        var form = document.getElementById(button.getAttribute("data-passkey-form"));
        if (!form || button.disabled) return;
        button.disabled = true;
        optionsFor(button).then(get).then(function (answer) {
            if (answer.json) {
                form.querySelector("input[name='Passkey.Assertion']").value = answer.json;
                form.submit();
            } else {
                showError(form, answer.error);
                button.disabled = false;
            }
        }, function () { showError(form, "failed"); button.disabled = false; });
    });

    return { create: create, get: get, supported: supported };
})();
