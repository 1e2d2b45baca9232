// The teacher's tools on the dashboard: push (the teacher's own playground network, or any
// link, to everyone or the selected students), freeze and release, the challenge, results.
import * as P from "../session/protocol.js";
import { byId } from "../ui/dom.js";
import { TEACHER_LINK_KEY, goalText } from "./student.js";

const numberOrNull = (input) => (input.value.trim() === "" ? null : Number(input.value));

export function createTeachPanel({ send, gallery, status }) {
  const link = byId("push-link");
  const freeze = byId("freeze-button");
  let frozen = false;

  function teacherLink() {
    try {
      return localStorage.getItem(TEACHER_LINK_KEY) || "";
    } catch {
      return "";
    }
  }

  function say(text) {
    status.textContent = text;
  }

  byId("push-button").addEventListener("click", () => {
    const hash = link.value.trim() || teacherLink();
    if (!hash) return say("Open the playground in this browser (or paste a link) to push its network.");
    const only = byId("push-selected").checked;
    const students = only ? gallery.selected() : null;
    if (only && !students.length) return say("Select students in the gallery first (their check boxes).");
    send(P.teach.push(hash, byId("push-data").checked, byId("push-weights").checked, students));
  });
  freeze.addEventListener("click", () => send(P.teach.freeze(!frozen)));
  byId("goal-button").addEventListener("click", () => {
    const goal = {
      metric: byId("goal-metric").value, target: Number(byId("goal-target").value),
      maxParameters: numberOrNull(byId("goal-parameters")), maxLayers: numberOrNull(byId("goal-layers")),
    };
    send(P.teach.setGoal(goal, byId("goal-pushed-data").checked));
  });
  byId("goal-clear").addEventListener("click", () => send(P.teach.setGoal(null, false)));
  byId("results-csv").addEventListener("click", () => send(P.teach.exportResults()));
  link.placeholder = teacherLink() ? "your playground's current network" : "paste a playground or lesson link";

  return {
    info(info) {
      frozen = info.frozen;
      freeze.textContent = frozen ? "Release everyone" : "Freeze everyone";
      freeze.setAttribute("aria-pressed", String(frozen));
      byId("goal-text").textContent = info.goal ? `Goal: ${goalText(info.goal)}.` : "No goal set.";
    },
    pushed(m) {
      const notices = (m.notices || []).length ? ` (${m.notices.join("; ")})` : "";
      say(`Pushed to ${m.students} student${m.students === 1 ? "" : "s"}${notices}.`);
    },
    error(error) {
      say(error.message || error.code);
    },
  };
}
