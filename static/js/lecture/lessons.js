// The lessons menu: one preset per lecture concept (static/lessons/lessons.json, the same
// file docs/lessons.md and the tests read). Each is a plain link to its URL hash, so
// opening it is what opening any shared link does; the menu only lists them.
import { byId, el } from "../ui/dom.js";

const LESSONS_URL = "/static/lessons/lessons.json";

export function createLessons() {
  const button = byId("lessons-button");
  const menu = byId("lessons-menu");
  const list = byId("lessons-list");

  function setOpen(open) {
    menu.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) list.querySelector("a")?.focus();
  }

  function build(lessons) {
    list.replaceChildren();
    for (const lesson of lessons) {
      const item = el("li", {}, list);
      const link = el("a", { class: "lesson-link", href: `#${lesson.hash}`, "data-lesson": lesson.id }, item);
      el("span", { class: "lesson-concept", text: lesson.concept }, link);
      el("span", { class: "lesson-title", text: lesson.title }, link);
      el("span", { class: "lesson-watch", text: lesson.watch }, link);
      link.title = `Then: ${lesson.next}`;
      link.addEventListener("click", () => setOpen(false));
    }
    button.disabled = lessons.length === 0;
  }

  button.addEventListener("click", () => setOpen(menu.hidden));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setOpen(false);
      button.focus();
      event.stopPropagation();
    }
  });
  document.addEventListener("click", (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !button.contains(event.target)) setOpen(false);
  });

  fetch(LESSONS_URL)
    .then((response) => (response.ok ? response.json() : { lessons: [] }))
    .then((data) => build(data.lessons || []))
    .catch(() => build([]));
}
