// Live dashboard of the hub console: keeps the page current with server-sent events. The page
// works without this script (it reloads itself then); here only the tables are swapped in place
// and the one summary line changes, so screen readers hear a short sentence, not the whole page.
(function () {
  'use strict';
  var region = document.getElementById('live-dashboard');
  if (!region || typeof window.EventSource !== 'function' || typeof window.DOMParser !== 'function') {
    return;
  }
  var status = document.getElementById('live-status');
  function show(text) {
    if (status && text) {
      status.textContent = text;
      status.hidden = false;
    }
  }
  function swap(html) {
    var incoming = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html');
    var freshSummary = incoming.getElementById('live-summary');
    var freshBody = incoming.getElementById('live-body');
    var summary = document.getElementById('live-summary');
    var body = document.getElementById('live-body');
    if (freshBody && body) {
      // Keep the keyboard where it was: a replaced button gets the focus back by its id.
      var focused = document.activeElement;
      var focusedId = focused && body.contains(focused) ? focused.id : '';
      body.replaceWith(document.importNode(freshBody, true));
      if (focusedId) {
        var again = document.getElementById(focusedId);
        if (again) {
          again.focus();
        }
      }
    }
    if (freshSummary && summary && freshSummary.textContent !== summary.textContent) {
      summary.textContent = freshSummary.textContent;
    }
  }
  var source = new EventSource(region.getAttribute('data-events'));
  source.addEventListener('open', function () {
    show(region.getAttribute('data-live-on'));
  });
  source.addEventListener('error', function () {
    show(region.getAttribute('data-live-off'));
  });
  source.addEventListener('dashboard', function (event) {
    swap(event.data);
  });
})();
