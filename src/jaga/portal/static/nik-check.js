// The NIK checked as it is typed: the form's fields go to /kerja/nik (a POST, so the NIK never sits in a
// URL) and the server's answer replaces the message under the NIK field. Written here rather than taken
// from htmx: jaga commits no other project's code and no package ships htmx; this is all the form needs.
(function () {
  "use strict";
  var fields = document.querySelectorAll("[data-nik-url]");
  Array.prototype.forEach.call(fields, function (field) {
    var timer = null;
    var latest = 0;
    function check() {
      var sent = ++latest;
      var data = new FormData(field.form);
      data.set("nik_field", field.dataset.nikField);
      fetch(field.dataset.nikUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (html) {
          if (sent !== latest) { return; }  // an older answer arriving late must not replace a newer one
          document.getElementById("nik-check-" + field.dataset.nikField).innerHTML = html;
        })
        .catch(function () {});  // offline or refused: the form is checked again when it is sent
    }
    var event = field.dataset.nikOn === "change" ? "change" : "input";
    field.addEventListener(event, function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, event === "input" ? 300 : 0);
    });
  });
})();
