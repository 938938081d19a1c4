// The Restart button of an ended session (a script file: the page allows no inline script).
window.addEventListener("DOMContentLoaded", () => {
  document.getElementById("restart").addEventListener("click", () => {
    window.location.reload();
  });
});
