// Small helpers every page shares (no framework): confirmation before an irreversible action, and suggestions
// that fill the form they belong to.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset && form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-pick]");
  if (!button) return;
  const [name, value] = button.dataset.pick.split("=");
  const box = document.querySelector(`input[type=checkbox][name="${name}"][value="${value}"]`);
  if (box) {
    box.checked = true;
    box.closest("label").scrollIntoView({ block: "nearest" });
    box.focus();
  }
  const unit = button.dataset.unit && document.querySelector('select[name="committee"]');
  if (unit && [...unit.options].some((o) => o.value === button.dataset.unit)) unit.value = button.dataset.unit;
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
