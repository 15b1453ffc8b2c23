/* A job's page follows the job: its status part is fetched again until the job has ended.
   A static file (no inline script), so the page keeps a strict Content-Security-Policy. */
(function () {
  "use strict";
  var DELAY = 1500;

  function follow() {
    var box = document.querySelector("[data-job-poll]");
    if (!box) { return; }
    var url = box.getAttribute("data-job-poll");
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.firstElementChild;
          if (fresh) { box.replaceWith(fresh); }
          follow();
        })
        .catch(function () { window.setTimeout(follow, DELAY * 4); });
    }, DELAY);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", follow);
  } else {
    follow();
  }
})();
