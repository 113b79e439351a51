// Wide screens show the directory's filters beside the results: open the panel there.
// Phones keep it closed, so the results come first; without JavaScript it opens on a tap.
if (window.matchMedia("(min-width: 992px)").matches) {
  for (const panel of document.querySelectorAll(".directory-filters")) {
    panel.open = true;
  }
}
