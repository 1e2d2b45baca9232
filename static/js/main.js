// Entry point of the page.
document.getElementById("app").dataset.ready = "true";
