// Type-ahead for the filters that name an actor (leader, speaker, about).
// Each such input has data-suggest (the URL to ask) and a datalist; as one types, the
// datalist is filled with the matching actors: the value is the actor's identifier, the label
// its name. Without this script the input still works: the server matches typed names.
(function () {
  "use strict";
  var WAIT_MS = 150;
  var MIN_CHARS = 2;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    if (!list || !url) {
      return;
    }
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < MIN_CHARS || text === asked) {
          return;
        }
        asked = text;
        fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (asked !== text) {
              return; // a later request is on its way
            }
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.label = item.label;
              option.textContent = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {
            // Offline or refused: the input keeps working as a plain text field.
          });
      }, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
