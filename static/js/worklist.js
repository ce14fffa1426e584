/* Liste de soins : validations tolérantes aux coupures de réseau.
 *
 * Chaque validation (fait / non fait / refusé) est d'abord écrite dans localStorage avec une clé
 * d'idempotence (UUID), puis envoyée. Elle ne quitte la file que sur une réponse définitive du
 * serveur : 2xx (enregistrée, ou déjà reçue : rien n'est compté deux fois) ou 4xx (refusée : le
 * motif s'affiche sur le soin). Sans réseau, après une erreur serveur ou une session expirée, elle
 * reste dans la file et repart au retour du réseau, périodiquement et au prochain chargement.
 * Le serveur n'écrit qu'un formulaire, dans un <template> : le script en met une copie à la place du
 * lien « Valider… » de chaque soin à faire. Sans JavaScript, ce lien ouvre la page de validation du
 * soin, dont le formulaire est envoyé normalement.
 *
 * L'heure qui compte pour le créneau est celle où le soignant a touché le bouton (performed_at),
 * envoyée avec la validation ; le serveur la borne (pas dans le futur, pas plus de 24 h). Hors du
 * créneau, le serveur répond « reason_required » sans rien enregistrer : le champ du motif s'ouvre
 * sur le soin, et la validation repart avec le motif et l'heure du premier geste (nouvelle clé : la
 * précédente n'a rien écrit).
 */
(function () {
  "use strict";

  var QUEUE_KEY = "dui.worklist.queue.v1";
  var RETRY_MS = 15000;
  var STATUS_LABELS = { done: "Fait", not_done: "Non fait", refused: "Refusé" };

  var root = document.getElementById("worklist");
  if (!root) {
    return;
  }
  var banner = document.getElementById("wl-queue");
  var csrf = root.getAttribute("data-csrf") || "";
  var flushing = false;
  var sessionProblem = false;

  function loadQueue() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function saveQueue(queue) {
    window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
  }

  function removeEntry(key) {
    saveQueue(loadQueue().filter(function (entry) { return entry.key !== key; }));
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function itemOf(occurrence) {
    return document.getElementById("occ-" + occurrence);
  }

  function hhmm(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return "";
    }
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function setFeedback(item, message) {
    var feedback = item.querySelector(".wl-feedback");
    if (!feedback) {
      return;
    }
    feedback.textContent = message || "";
    feedback.hidden = !message;
  }

  function setResult(item, text) {
    var result = item.querySelector(".wl-result");
    if (result) {
      result.textContent = text;
      result.hidden = !text;
    }
  }

  function showForm(item, visible) {
    var form = item.querySelector(".wl-form");
    if (form) {
      form.hidden = !visible;
    }
  }

  function markQueued(item, entry) {
    item.classList.add("wl-item-queued");
    item.setAttribute("data-queued", entry.key);
    showForm(item, false);
    setFeedback(item, "");
    setResult(item, (STATUS_LABELS[entry.status] || entry.status) + " à " + hhmm(entry.performed_at) +
      (entry.comment ? " : " + entry.comment : "") + " — en attente d'envoi");
  }

  function markValidated(item, data) {
    item.classList.remove("wl-item-queued");
    item.removeAttribute("data-queued");
    item.className = item.className.replace(/\bwl-state-\S+/g, "") + " wl-state-" + data.status;
    showForm(item, false);
    setFeedback(item, "");
    setResult(item, data.status_label + " — " + data.validated_by + ", " + (data.performed_at_label || "") +
      (data.comment ? " : " + data.comment : ""));
  }

  function askReason(item, entry, message) {
    var form = item.querySelector(".wl-form");
    var box = form ? form.querySelector(".wl-reason") : null;
    var field = box ? box.querySelector("input") : null;
    if (!field) {
      return false;
    }
    box.hidden = false;
    form.setAttribute("data-performed-at", entry.performed_at);
    field.value = entry.reason || "";
    field.setAttribute("aria-invalid", "true");
    item.classList.remove("wl-item-queued");
    item.removeAttribute("data-queued");
    setResult(item, "");
    showForm(item, true);
    setFeedback(item, "Non enregistré (" + (STATUS_LABELS[entry.status] || entry.status) + ") : " + message +
      " Écrivez-le dans le champ « Motif de l’écart » puis touchez à nouveau « " + (STATUS_LABELS[entry.status] || entry.status) + " ».");
    field.focus();
    return true;
  }

  function markRejected(item, entry, status, message, code) {
    if (code === "reason_required" && askReason(item, entry, message)) {
      return;
    }
    item.classList.remove("wl-item-queued");
    item.removeAttribute("data-queued");
    setFeedback(item, "Non enregistré (" + (STATUS_LABELS[entry.status] || entry.status) + ") : " + message);
    if (status === 409) {
      setResult(item, "Déjà validé par ailleurs.");
      showForm(item, false);
    } else {
      setResult(item, "");
      showForm(item, true);
    }
  }

  function orphanError(entry, message) {
    var list = document.getElementById("wl-orphans");
    if (!list) {
      list = document.createElement("ul");
      list.id = "wl-orphans";
      list.className = "wl-feedback";
      list.setAttribute("role", "alert");
      banner.parentNode.insertBefore(list, banner.nextSibling);
    }
    var line = document.createElement("li");
    line.textContent = (entry.label || "Soin") + " : " + message;
    list.appendChild(line);
  }

  function render() {
    var queue = loadQueue();
    queue.forEach(function (entry) {
      var item = itemOf(entry.occurrence);
      if (item && item.getAttribute("data-queued") !== entry.key) {
        markQueued(item, entry);
      }
    });
    var count = queue.length;
    if (!count) {
      banner.hidden = true;
      banner.textContent = "";
      banner.classList.remove("wl-queue-offline");
      return;
    }
    var text = count + " validation" + (count > 1 ? "s" : "") + " en attente d'envoi";
    if (!navigator.onLine) {
      text += " — hors connexion : elles partiront au retour du réseau.";
    } else if (sessionProblem) {
      text += " — session expirée ou page trop ancienne : rechargez la page ou reconnectez-vous, elles sont gardées.";
    }
    banner.textContent = text;
    banner.classList.toggle("wl-queue-offline", !navigator.onLine);
    banner.hidden = false;
  }

  // "sent": a definitive answer (the entry leaves the queue); "keep": try again later.
  function send(entry) {
    var body = {
      status: entry.status,
      comment: entry.comment,
      reason: entry.reason || "",
      idempotency_key: entry.key,
      performed_at: entry.performed_at,
      unit: entry.unit
    };
    return fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf,
        "X-Requested-With": "XMLHttpRequest"
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // The login page after a redirect, a CSRF refusal page, a proxy error: not the server's answer.
        sessionProblem = response.status < 500;
        return "keep";
      }
      sessionProblem = false;
      return response.json().then(function (data) {
        var item = itemOf(entry.occurrence);
        if (response.ok) {
          if (item) {
            markValidated(item, data);
          }
          return "sent";
        }
        if (response.status >= 400 && response.status < 500) {
          var message = data.error || "refusé par le serveur.";
          if (item) {
            markRejected(item, entry, response.status, message, data.code || "");
          } else {
            orphanError(entry, message);
          }
          return "sent";
        }
        return "keep";
      });
    }, function () {
      return "keep";
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) {
      render();
      return Promise.resolve();
    }
    flushing = true;
    var queue = loadQueue();
    var chain = Promise.resolve("sent");
    queue.forEach(function (entry) {
      chain = chain.then(function (previous) {
        if (previous === "keep") {
          return "keep";
        }
        return send(entry).then(function (outcome) {
          if (outcome === "sent") {
            removeEntry(entry.key);
          }
          render();
          return outcome;
        });
      });
    });
    return chain.then(function () {
      flushing = false;
      render();
    }, function () {
      flushing = false;
      render();
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("wl-form")) {
      return;
    }
    event.preventDefault();
    var button = event.submitter;
    var status = button ? button.value : "";
    var item = form.closest(".wl-item");
    if (!status || !item || item.getAttribute("data-queued")) {
      return;
    }
    var field = form.querySelector(".wl-comment");
    var comment = field ? field.value.trim() : "";
    if (status !== "done" && !comment) {
      setFeedback(item, "Indiquez le motif (non fait ou refusé) dans le commentaire.");
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.focus();
      }
      return;
    }
    if (field) {
      field.removeAttribute("aria-invalid");
    }
    var reasonField = form.querySelector(".wl-reason-input");
    var reason = reasonField && !reasonField.closest(".wl-reason").hidden ? reasonField.value.trim() : "";
    if (reasonField && !reasonField.closest(".wl-reason").hidden && !reason &&
        form.getAttribute("data-performed-at")) {
      setFeedback(item, "Indiquez le motif de l'écart au créneau prévu.");
      reasonField.focus();
      return;
    }
    if (reasonField) {
      reasonField.removeAttribute("aria-invalid");
    }
    var unitField = form.querySelector("input[name=unit]");
    var entry = {
      key: newKey(),
      url: form.getAttribute("action"),
      occurrence: item.getAttribute("data-occurrence"),
      unit: unitField ? unitField.value : "",
      status: status,
      comment: comment,
      reason: reason,
      performed_at: form.getAttribute("data-performed-at") || new Date().toISOString(),
      label: form.getAttribute("data-label") || ""
    };
    var queue = loadQueue();
    queue.push(entry);
    saveQueue(queue);
    markQueued(item, entry);
    render();
    flush();
  }

  // Each item still to do gets its copy of the page's form: action, label, field ids, a fresh key,
  // and the reason field already open when the server marked the item outside its window.
  function buildForm(link) {
    var template = document.getElementById("wl-form-template");
    var item = link.closest(".wl-item");
    if (!template || !item) {
      return;
    }
    var pk = item.getAttribute("data-occurrence");
    var labelNode = item.querySelector(".wl-label");
    var label = labelNode ? labelNode.textContent : "";
    var form = template.content.firstElementChild.cloneNode(true);
    form.setAttribute("action", link.getAttribute("href").split("?")[0]);
    form.setAttribute("data-label", label);
    form.querySelector(".wl-form-label").textContent = label;
    form.querySelector("input[name=idempotency_key]").value = newKey();
    form.querySelector(".wl-comment").id = "comment-" + pk;
    form.querySelector(".wl-comment-label").setAttribute("for", "comment-" + pk);
    form.querySelector(".wl-reason-input").id = "reason-" + pk;
    form.querySelector(".wl-reason-label").setAttribute("for", "reason-" + pk);
    form.querySelector(".wl-reason").hidden = !item.hasAttribute("data-outside-window");
    link.parentNode.replaceChild(form, link);
  }

  Array.prototype.forEach.call(root.querySelectorAll("a.wl-validate"), buildForm);
  root.addEventListener("submit", onSubmit);
  window.addEventListener("online", function () { flush(); });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (event) {
    if (event.key === QUEUE_KEY) {
      render();
    }
  });
  window.setInterval(flush, RETRY_MS);
  render();
  flush();
})();
