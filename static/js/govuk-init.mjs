// Start GOV.UK Frontend's components (pages work without it).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// A table that scrolls sideways inside its box (on a phone) becomes a region, named by its
// caption, that the keyboard can reach and scroll (a box named in its template keeps its name).
function scrollingTables() {
  for (const box of document.querySelectorAll(".pmis-table-scroll:not([tabindex])")) {
    if (box.scrollWidth > box.clientWidth) {
      const caption = box.querySelector("caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  }
}
scrollingTables();
window.addEventListener("resize", scrollingTables);
