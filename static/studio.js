// The lesson editor: a live preview beside the text, rendered by the server exactly as
// the Preview button renders it. Without JavaScript the button does the same.
(function () {
  var form = document.querySelector('form.studio-editor');
  var target = document.getElementById('live-preview');
  if (!form || !target || !window.fetch) { return; }
  var text = form.querySelector('textarea');
  var timer = null;
  function update() {
    fetch(form.getAttribute('data-preview'), {
      method: 'POST', body: new FormData(form), credentials: 'same-origin'
    }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      target.innerHTML = html;
      target.hidden = false;
    }).catch(function () { /* the Preview button still works */ });
  }
  text.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  update();
})();
