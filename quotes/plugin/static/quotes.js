// Language codes ("ar") shown as language names ("Arabic"); the code stays when the browser cannot name it.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.Intl || !Intl.DisplayNames) return;
  const names = new Intl.DisplayNames(["en"], { type: "language" });
  for (const el of document.querySelectorAll("[data-language]")) {
    try { el.textContent = names.of(el.dataset.language); } catch (e) { /* unknown code: keep it */ }
  }
});
