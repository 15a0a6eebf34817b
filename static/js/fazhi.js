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
// A select that follows another field (the grids of the chosen community): only the options of the chosen one.
function follow(select) {
  const leader = select.form && select.form.elements[select.dataset.follows];
  if (!leader) return;
  const apply = () => {
    for (const option of select.options) {
      if (!option.dataset.parent) continue;
      const mine = option.dataset.parent === leader.value;
      option.hidden = !mine;
      option.disabled = !mine;
      if (!mine && option.selected) select.value = "";
    }
  };
  leader.addEventListener("change", apply);
  apply();
}
// A text box with a length limit shows how much is left as one types.
function count(area) {
  const max = Number(area.getAttribute("maxlength"));
  if (!max) return;
  const note = document.createElement("small");
  note.className = "muted counter";
  note.setAttribute("aria-live", "polite");
  area.insertAdjacentElement("afterend", note);
  const show = () => { note.textContent = `已输入 ${area.value.length} / ${max} 字`; };
  area.addEventListener("input", show);
  show();
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-follows]").forEach(follow);
  document.querySelectorAll("textarea[data-counter]").forEach(count);
});
// On a phone the menu starts folded (a drawer under 菜单); on a wide screen it is always open.
document.addEventListener("DOMContentLoaded", () => {
  const drawer = document.querySelector("details[data-drawer]");
  if (!drawer) return;
  const phone = window.matchMedia("(max-width: 600px)");
  const fit = () => { drawer.open = !phone.matches; };
  phone.addEventListener("change", fit);
  fit();
});
// The bell's unread count, fetched after the page (no page pays a query for it).
document.addEventListener("DOMContentLoaded", () => {
  const bell = document.querySelector("a.bell[data-count]");
  if (!bell) return;
  fetch(bell.dataset.count, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.text() : null))
    .then((html) => { if (html) bell.innerHTML = html; })
    .catch(() => {});
});
// A ledger's bulk actions: "select all on this page" and the count of ticked rows in the bulk form's legend.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (!form || !form.classList.contains("bulk")) return;
  const boxes = [...form.querySelectorAll('input[type=checkbox][name="ids"]')];
  if (event.target.matches("[data-check-all]")) boxes.forEach((b) => { b.checked = event.target.checked; });
  const count = form.querySelector("[data-bulk-count]");
  if (count) count.textContent = boxes.filter((b) => b.checked).length;
});
// Every table with a header becomes cards on a phone (≤ 600 px, see fazhi.css): each cell labelled by its
// column's header, unless the table says otherwise (class no-cards, e.g. a calendar's month grid).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("main table").forEach((table) => {
    if (table.classList.contains("no-cards") || !table.tHead) return;
    const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        [...row.cells].forEach((cell, i) => {
          if (!cell.dataset.label && heads[i] && cell.colSpan === 1) cell.dataset.label = heads[i];
        });
      }
    }
    table.classList.add("cards");
  });
});
// A long list of check boxes (the mediators of a street …) gets a box to find a name in as one types; ticked
// boxes always stay in sight.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".checks").forEach((group) => {
    const labels = [...group.querySelectorAll("label.check")];
    if (labels.length <= 12) return;
    const find = document.createElement("input");
    find.type = "search";
    find.className = "check-filter";
    find.placeholder = `在${labels.length}项中查找`;
    find.setAttribute("aria-label", `查找${group.getAttribute("aria-label") || ""}`);
    group.insertAdjacentElement("beforebegin", find);
    find.addEventListener("input", () => {
      const term = find.value.trim();
      labels.forEach((label) => {
        const box = label.querySelector("input");
        label.hidden = Boolean(term) && !label.textContent.includes(term) && !(box && box.checked);
      });
    });
    find.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  });
});
