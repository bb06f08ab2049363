/* copydesk: moving between changes (buttons, j/k keys), reaching changed facts from their list,
   keeping the focus across htmx swaps, and small niceties.
   Every page works without this file; it only adds to what the HTML already does. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var CHANGE_ROWS = "#rows tr.row:not(.rel-verbatim)";

  function changeRows() {
    return Array.prototype.slice.call(document.querySelectorAll(CHANGE_ROWS));
  }

  function currentRow() {
    return document.querySelector("#rows tr.row.current");
  }

  function say(text) {
    var status = document.querySelector("[data-nav-status]");
    if (status) status.textContent = text;
  }

  // The row to move to from `anchor` (a row, or null for "from where the reader is looking").
  function target(rows, anchor, step) {
    var i;
    if (anchor) {
      if (step > 0) {
        for (i = 0; i < rows.length; i++) {
          if (anchor.compareDocumentPosition(rows[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return rows[i];
        }
      } else {
        for (i = rows.length - 1; i >= 0; i--) {
          if (anchor.compareDocumentPosition(rows[i]) & Node.DOCUMENT_POSITION_PRECEDING) return rows[i];
        }
      }
      return null;
    }
    if (step > 0) {
      for (i = 0; i < rows.length; i++) {
        if (rows[i].getBoundingClientRect().bottom > 0) return rows[i];
      }
    } else {
      for (i = rows.length - 1; i >= 0; i--) {
        if (rows[i].getBoundingClientRect().top < 0) return rows[i];
      }
    }
    return null;
  }

  function select(row) {
    var old = currentRow();
    if (old && old !== row) old.classList.remove("current");
    row.classList.add("current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "center" });
  }

  function go(step) {
    var rows = changeRows();
    if (!rows.length) {
      say("No changes: every row is verbatim.");
      return;
    }
    var anchor = currentRow();
    var row = target(rows, anchor, step);
    if (!row) {
      say(step > 0 ? "No more changes below." : "No more changes above.");
      return;
    }
    select(row);
    var label = row.querySelector(".label");
    say("Change " + (rows.indexOf(row) + 1) + " of " + rows.length + (label ? ": " + label.textContent : ""));
  }

  function isTyping(element) {
    if (!element || !element.closest) return false;
    return element.isContentEditable || !!element.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target) || !document.getElementById("rows")) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      go(event.key === "j" ? 1 : -1);
    }
  });

  // After htmx replaced the report, the control that asked for it is a new element: give the
  // focus back to it (or, after the settings form, to the first field in error or the message).
  var refocus = null;

  function markCurrent(row) {
    var old = currentRow();
    if (old && old !== row) old.classList.remove("current");
    row.classList.add("current");
  }

  // A changed fact reached from the list (or the address bar): focus it, so its original wording
  // shows, and make its row the place j/k continue from.
  function focusFact(mark) {
    if (!mark) return;
    var row = mark.closest("#rows tr.row");
    if (row) markCurrent(row);
    mark.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var element = event.target;
    if (!element || !element.closest) return;
    var nav = element.closest("[data-nav]");
    if (nav) {
      go(nav.getAttribute("data-nav") === "next" ? 1 : -1);
      return;
    }
    var toggle = element.closest("#verbatim-toggle, #strip-toggle, #rows tr.gap a");
    if (toggle) {
      refocus = toggle.id || "verbatim-toggle";
      return;
    }
    var link = element.closest('a.fact-link[href^="#fact-"]');
    if (link) {
      var mark = document.getElementById(link.getAttribute("href").slice(1));
      // The browser follows the link (address, :target, scrolling); the focus comes after it.
      if (mark) window.setTimeout(function () { focusFact(mark); }, 0);
      return;
    }
    // Clicking into a row makes it the place j/k continue from.
    var row = element.closest("#rows tr.row");
    if (row && !window.getSelection().toString()) markCurrent(row);
  });

  document.addEventListener("focusin", function (event) {
    var mark = event.target && event.target.closest && event.target.closest("mark.fact[tabindex]");
    if (!mark) return;
    var row = mark.closest("#rows tr.row");
    if (row) markCurrent(row);
  });

  // Escape hides the original wording of the focused fact until the focus moves on.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var mark = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("mark.fact[tabindex]");
    if (mark) mark.classList.add("quiet");
  });
  document.addEventListener("focusout", function (event) {
    if (event.target && event.target.classList) event.target.classList.remove("quiet");
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.tagName === "FORM" && elt.closest("#report .settings")) refocus = "settings";
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    var target;
    if (refocus === "settings") {
      target = document.querySelector('#report [aria-invalid="true"]') ||
        document.querySelector("[data-settings-status]");
    } else {
      target = document.getElementById(refocus);
    }
    refocus = null;
    if (target) target.focus();
  });

  window.addEventListener("hashchange", function () {
    if (/^#fact-\d+$/.test(location.hash)) focusFact(document.getElementById(location.hash.slice(1)));
  });
  if (/^#fact-\d+$/.test(location.hash)) {
    document.addEventListener("DOMContentLoaded", function () {
      focusFact(document.getElementById(location.hash.slice(1)));
    });
  }

  // Notes on a selection. A cell's text container says where it starts in its side's article
  // (data-start); elements inside it that are not article text (labels, tooltips) carry
  // data-extra and are skipped, so the offsets counted here are the article's own.
  function articleTextNodes(container) {
    var nodes = [];
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var extra = walker.currentNode.parentElement.closest("[data-extra]");
      if (!extra || !container.contains(extra)) nodes.push(walker.currentNode);
    }
    return nodes;
  }

  // Characters of article text in `container` before the point (node, offset).
  function offsetOf(container, nodes, node, offset) {
    var before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(node, offset);
    var count = 0;
    nodes.forEach(function (text) {
      if (text === node) count += offset;
      else if (before.comparePoint(text, text.length) === 0) count += text.length;
    });
    return count;
  }

  // The passage selected inside one cell: {container, side, start, end, exact}, or null.
  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var start = range.startContainer, end = range.endContainer;
    var container = (start.nodeType === 1 ? start : start.parentElement).closest(".text[data-start]");
    if (!container || !container.contains(end) || !container.closest("[data-new-note]")) return null;
    var nodes = articleTextNodes(container);
    var text = nodes.map(function (n) { return n.data; }).join("");
    var base = Number(container.getAttribute("data-start"));
    if (text.length !== Number(container.getAttribute("data-end")) - base) return null;
    var from = offsetOf(container, nodes, start, range.startOffset);
    var to = offsetOf(container, nodes, end, range.endOffset);
    while (from < to && /\s/.test(text.charAt(from))) from++;
    while (to > from && /\s/.test(text.charAt(to - 1))) to--;
    if (from >= to) return null;
    return { container: container, side: container.getAttribute("data-side"),
             start: base + from, end: base + to, exact: text.slice(from, to) };
  }

  var addNote = null;
  var passage = null;

  function addNoteButton() {
    if (addNote) return addNote;
    addNote = document.createElement("button");
    addNote.type = "button";
    addNote.className = "button primary add-note";
    addNote.textContent = "Add note";
    addNote.title = "Add a note on the selected words (key n)";
    addNote.hidden = true;
    // Keep the selection: a click on the button must not collapse it first.
    addNote.addEventListener("mousedown", function (event) { event.preventDefault(); });
    addNote.addEventListener("click", function () { openNoteForm(passage); });
    document.body.appendChild(addNote);
    return addNote;
  }

  function showAddNote() {
    passage = selectedPassage();
    var button = addNoteButton();
    if (!passage) {
      button.hidden = true;
      return;
    }
    var rect = window.getSelection().getRangeAt(0).getBoundingClientRect();
    button.style.top = (window.scrollY + rect.bottom + 6) + "px";
    button.style.left = (window.scrollX + Math.max(0, rect.left)) + "px";
    button.hidden = false;
  }

  function openNoteForm(found) {
    if (!found || !window.htmx) return;
    var section = found.container.closest("[data-new-note]");
    var row = found.container.closest("tr.row");
    var query = new URLSearchParams(section.getAttribute("data-view") || "");
    query.set("side", found.side);
    query.set("start", String(found.start));
    query.set("end", String(found.end));
    query.set("exact", found.exact);
    addNote.hidden = true;
    window.htmx.ajax("GET", section.getAttribute("data-new-note") + "?" + query.toString(),
                     { target: "#slot-" + row.id, swap: "innerHTML" });
  }

  document.addEventListener("selectionchange", showAddNote);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "n" || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    var found = selectedPassage();
    if (!found) return;
    event.preventDefault();
    passage = found;
    openNoteForm(found);
  });

  // "Cancel" on a new note's form in a row's margin closes it (without JS it is a link back).
  document.addEventListener("click", function (event) {
    var cancel = event.target && event.target.closest && event.target.closest("[data-cancel-note]");
    var slot = cancel && cancel.closest(".note-slot");
    if (!slot) return;
    event.preventDefault();
    var row = slot.closest("tr.row");
    slot.innerHTML = "";
    if (row) row.focus();
  });

  // Whatever a swap marks with data-focus (a new form, a note with a message, the note just
  // written) gets the focus, so keyboard and screen-reader users land where the change is.
  function focusMarked() {
    var target = document.querySelector("[data-focus]");
    if (!target) return;
    target.removeAttribute("data-focus");
    var field = target.querySelector('[aria-invalid="true"]') ||
      (target.matches("form") ? target.querySelector("select, textarea") : null);
    (field || target).focus();
  }
  document.addEventListener("htmx:afterSettle", focusMarked);
  document.addEventListener("DOMContentLoaded", focusMarked);

  // On the form: say which file will be used instead of the text box.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.files) return;
    var field = input.closest(".field");
    if (!field) return;
    var note = field.querySelector(".file-choice");
    if (!note) {
      note = document.createElement("p");
      note.className = "help file-choice";
      note.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = input.files.length
      ? input.files[0].name + " will be used instead of the text box."
      : "";
  });
})();
