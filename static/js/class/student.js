// A student's class on the playground page: "Start a class" and "Join a class" in the
// Class menu, the join link (?class=CODE) asking for a display name, the "In class 4F2K"
// badge, the goal and the student's standing, the notice with Undo after the teacher's
// push, and the controls locked while the class is frozen. The run stays the student's own.
import { CLOSED } from "../session/connection.js";
import * as P from "../session/protocol.js";
import { inPageWords } from "../session/words.js";
import { byId, formatLoss } from "../ui/dom.js";

const MEMBER_KEY = "neural-playground.class"; // {code, name, student}: rejoin after a reload
export const TEACHER_LINK_KEY = "neural-playground.teacher-link"; // the dashboard pushes it
const TEACHING_KEY = "neural-playground.teaching";
const LOCKED = ".controls, .data-column, .network-column, .output-column, #lab-model, #lab-backprop";
const FORM_CONTROLS = "button, input, select, textarea";

function stored(storage, key) {
  try {
    return JSON.parse(storage.getItem(key) || "null");
  } catch {
    return null;
  }
}

function keep(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, typeof value === "string" ? value : JSON.stringify(value));
  } catch {
    // storage off: the class still works until the page reloads
  }
}

export function goalText(goal) {
  if (!goal) return "";
  const what = goal.metric === P.GOAL_METRICS.testLoss
    ? `test loss below ${goal.target}` : `test accuracy above ${Math.round(goal.target * 100)} %`;
  const limits = [goal.maxParameters != null && `at most ${goal.maxParameters} parameters`,
    goal.maxLayers != null && `at most ${goal.maxLayers} hidden layers`, goal.data && "on the pushed data"];
  return [what, ...limits.filter(Boolean)].join(", ");
}

export function createStudentClass(run, conn) {
  const app = byId("app");
  const button = byId("class-button");
  const menu = byId("class-menu");
  const form = byId("class-join-form");
  const codeInput = byId("class-code");
  const nameInput = byId("class-name");
  const badge = byId("class-badge");
  const goalLine = byId("class-goal");
  const frozenBanner = byId("class-frozen");
  const pushedNotice = byId("class-pushed");
  let member = stored(sessionStorage, MEMBER_KEY);
  let locked = [];

  function openMenu(open) {
    menu.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  }

  function lock(frozen) {
    frozenBanner.hidden = !frozen;
    app.dataset.frozen = String(frozen);
    if (frozen && !locked.length) {
      for (const region of document.querySelectorAll(LOCKED)) {
        for (const control of region.querySelectorAll(FORM_CONTROLS)) {
          if (control.disabled) continue;
          control.disabled = true;
          locked.push(control);
        }
      }
    } else if (!frozen) {
      for (const control of locked) control.disabled = false;
      locked = [];
    }
  }

  function show(state) {
    badge.hidden = !state;
    app.dataset.classCode = state ? state.code : "";
    if (!state) {
      goalLine.hidden = true;
      pushedNotice.hidden = true;
      lock(false);
      return;
    }
    byId("class-badge-code").textContent = state.code;
    byId("class-badge-name").textContent = state.name;
    goalLine.hidden = !state.goal;
    if (state.goal) {
      const standing = state.metEpoch != null ? `You met it at epoch ${state.metEpoch}.`
        : state.bestTestLoss != null ? `Your best test loss so far: ${formatLoss(state.bestTestLoss)}.` : "";
      goalLine.textContent = `Goal: ${goalText(state.goal)}. ${standing}`;
      goalLine.dataset.met = String(state.metEpoch != null);
    }
    lock(state.frozen);
  }

  let waiting = null; // {code, name} of a join asked for while not connected

  function join(code, name) {
    const again = member && member.code === code ? member.student : null;
    conn.request(P.send.joinClass(code, name || null, again)).catch((error) => {
      if (error.code === CLOSED) {
        waiting = { code, name }; // not connected yet, or the socket dropped: join once it is
        return;
      }
      if (error.code !== P.ERROR.noClass && error.code !== P.ERROR.classFull) {
        run.notify("error", inPageWords(error.message || error.code));
        return;
      }
      byId("class-join-error").textContent = error.message;
      openMenu(true);
    });
  }

  run.events.on("class", (state) => {
    member = state && { code: state.code, name: state.name, student: state.student };
    keep(sessionStorage, MEMBER_KEY, member);
    show(state);
  });
  run.events.on("class_pushed", () => {
    pushedNotice.hidden = false;
  });
  // A control refused because the class is frozen: the controls lock (no banner).
  run.events.on("frozen", () => lock(true));
  // After the opening restore or link (hello's handler sends it first): join again.
  // A join asked for while the page was not connected goes out then too.
  run.hello.subscribe(() =>
    setTimeout(() => {
      const again = waiting || member;
      waiting = null;
      if (again) join(again.code, again.name);
    }, 0),
  );
  run.config.subscribe((config) => {
    if (localStorage.getItem(TEACHING_KEY)) keep(localStorage, TEACHER_LINK_KEY, config.hash);
  });

  button.addEventListener("click", () => openMenu(menu.hidden));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    byId("class-join-error").textContent = "";
    join(codeInput.value.trim().toUpperCase(), nameInput.value.trim());
    openMenu(false);
  });
  byId("class-leave").addEventListener("click", () => conn.send(P.send.leaveClass()));
  byId("class-undo").addEventListener("click", () => {
    pushedNotice.hidden = true;
    conn.send(P.send.undoPush());
  });
  byId("class-pushed-close").addEventListener("click", () => (pushedNotice.hidden = true));
  byId("class-start").addEventListener("click", () => startClass(run));

  const invited = new URLSearchParams(location.search).get("class");
  if (invited && !member) {
    codeInput.value = invited;
    openMenu(true);
    nameInput.focus();
  }
}

async function startClass(run) {
  const status = byId("class-start-status");
  status.textContent = "Starting a class…";
  try {
    const reply = await fetch(P.classPaths.start, { method: "POST" });
    if (!reply.ok) throw new Error(`the server answered ${reply.status}`);
    const started = await reply.json();
    keep(localStorage, TEACHING_KEY, "1");
    if (run.config.get()) keep(localStorage, TEACHER_LINK_KEY, run.config.get().hash);
    const link = byId("class-dashboard-link");
    link.href = started.dashboard_path;
    link.hidden = false;
    status.textContent = `Class ${started.code} started. Students join at ${started.join_url}`;
    window.open(started.dashboard_path, "_blank", "noopener");
  } catch (error) {
    status.textContent = `Could not start a class: ${error.message}`;
  }
}
