// Pan and zoom for the network graph (/network/): wheel or +/- keys zoom, dragging pans.
// The page works without it: the SVG is complete, each member a link.
(function () {
  "use strict";
  var svg = document.querySelector("svg.network-graph");
  if (!svg) { return; }
  var box = svg.viewBox.baseVal;
  var full = { x: box.x, y: box.y, width: box.width, height: box.height };
  var figure = svg.closest("figure");
  svg.setAttribute("data-zoomable", "true");
  function zoom(factor, cx, cy) {
    var width = Math.min(full.width, Math.max(full.width / 20, box.width * factor));
    var scale = width / box.width;
    box.x = cx - (cx - box.x) * scale;
    box.y = cy - (cy - box.y) * scale;
    box.width = width;
    box.height = box.height * scale;
  }
  function point(event) {
    var rect = svg.getBoundingClientRect();
    return {
      x: box.x + (event.clientX - rect.left) / rect.width * box.width,
      y: box.y + (event.clientY - rect.top) / rect.height * box.height
    };
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = point(event);
    zoom(event.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.closest("a")) { return; }
    drag = { x: event.clientX, y: event.clientY };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var rect = svg.getBoundingClientRect();
    box.x -= (event.clientX - drag.x) / rect.width * box.width;
    box.y -= (event.clientY - drag.y) / rect.height * box.height;
    drag = { x: event.clientX, y: event.clientY };
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  var controls = document.createElement("div");
  controls.className = "btn-group btn-group-sm mb-2";
  [["+", 0.8], ["\u2212", 1.25], ["\u21ba", 0]].forEach(function (item) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.textContent = item[0];
    var label = item[1] === 0.8 ? figure.dataset.zoomIn : item[1] === 1.25 ? figure.dataset.zoomOut : figure.dataset.reset;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      if (item[1] === 0) {
        box.x = full.x; box.y = full.y; box.width = full.width; box.height = full.height;
      } else {
        zoom(item[1], box.x + box.width / 2, box.y + box.height / 2);
      }
    });
    controls.appendChild(button);
  });
  figure.insertBefore(controls, svg);
}());
