// Messages for the user: link notices (dismissible), errors (fade), the divergence banner
// with its one-click reset, and the connection indicator.
import { byId, el } from "./dom.js";

const ERROR_MS = 7000;
const CONNECTION_TEXT = {
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Reconnecting…",
  full: "Server full",
  refused: "Connection refused",
};

export function createBanners(run, toolbar) {
  const area = byId("banners");
  const app = byId("app");
  const indicator = byId("connection");
  const indicatorText = byId("connection-text");
  let diverged = null;
  let connectionBanner = null;

  function banner(kind, text, { dismissible = true, action = null } = {}) {
    const role = kind === "error" ? "alert" : "status";
    const box = el("div", { class: `banner banner-${kind}`, role }, area);
    el("span", { class: "banner-text", text }, box);
    if (action) {
      const button = el("button", { type: "button", class: "banner-action", text: action.label }, box);
      button.addEventListener("click", action.run);
    }
    if (dismissible) {
      const attrs = { type: "button", class: "banner-close", "aria-label": "Dismiss", text: "×" };
      const close = el("button", attrs, box);
      close.addEventListener("click", () => box.remove());
    }
    return box;
  }

  run.events.on("notice", ({ kind, text }) => {
    const box = banner(kind, text);
    if (kind === "error" || kind === "info") setTimeout(() => box.remove(), ERROR_MS);
  });

  run.config.subscribe((config) => {
    area.querySelectorAll(".banner-notice.from-link").forEach((box) => box.remove());
    if (!config.notices.length) return;
    const text = `Some settings of this link were not used: ${config.notices.join("; ")}.`;
    banner("notice", text).classList.add("from-link");
  });

  run.health.subscribe((health, before) => {
    if (health.diverged === before.diverged) return; // the banner's text is of its divergence
    if (diverged) diverged.remove();
    diverged = null;
    if (!health.diverged) return;
    // The engine says which quantity blew up, when, and the likely cause.
    const text =
      health.reason ||
      "Training diverged: the weights grew without bound, so the network outputs NaN (shown grey). " +
        "Try a smaller learning rate, then reset.";
    diverged = banner("diverged", text, {
      dismissible: false,
      action: { label: "Reset", run: toolbar.actions.reset },
    });
    diverged.querySelector(".banner-action").setAttribute("aria-label", "Reset the diverged network");
  });

  run.connection.subscribe(({ state, retryInS, serverMessage }) => {
    app.dataset.connection = state;
    indicator.dataset.state = state;
    const retry = state === "full" && retryInS ? ` — retrying in ${retryInS} s` : "";
    indicatorText.textContent = CONNECTION_TEXT[state] + retry;
    if (connectionBanner) connectionBanner.remove();
    connectionBanner = null;
    const sticky = { dismissible: false };
    if (state === "reconnecting") {
      const text = "Lost the connection to the server. Reconnecting; your network is kept. The controls are off until it answers, so no change is lost.";
      connectionBanner = banner("info", text, sticky);
    } else if (state === "full") {
      const why = serverMessage ? ` (${serverMessage})` : "";
      const text = `The server is serving as many sessions as it can${why}. The page retries by itself.`;
      connectionBanner = banner("error", text, sticky);
    } else if (state === "refused") {
      const text = "The server refused this page's connection (its origin is not allowed).";
      connectionBanner = banner("error", text, sticky);
    }
  });
}
