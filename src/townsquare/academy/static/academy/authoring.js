// Drag-and-drop ordering for modules, lessons and questions (progressive enhancement: the Move
// up / Move down buttons work without this file). The new order is posted to the reorder endpoint.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.classList.contains("authoring-item");
    });
  }

  function save(list) {
    var body = new FormData();
    body.append("kind", list.dataset.reorderKind);
    body.append("parent", list.dataset.parent || "");
    body.append("order", itemsOf(list).map(function (item) { return item.dataset.id; }).join(","));
    return fetch(list.dataset.reorderUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      // The page shows the new order and its Move buttons after a reload either way.
      window.location.reload();
      return response;
    });
  }

  function enable(list) {
    var dragged = null;
    itemsOf(list).forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        event.stopPropagation();
        dragged = item;
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.id);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged.parentNode !== list) { return; }
        event.preventDefault();
        event.stopPropagation();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        if (item !== dragged) {
          list.insertBefore(dragged, after ? item.nextSibling : item);
        }
      });
      item.addEventListener("drop", function (event) {
        if (!dragged || dragged.parentNode !== list) { return; }
        event.preventDefault();
        event.stopPropagation();
        dragged = null;
        save(list);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ol[data-reorder-url]").forEach(enable);
  });
})();
