// Tell GOV.UK Frontend's styles that JavaScript runs, as its page template does inline.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
