// The intake form: the new client's name is «ФИО» for a person and «Название» for a company;
// the label follows the chosen kind (the server renders the right one without JavaScript).

const label = document.querySelector('label[for="f-new_client_name"]');

for (const radio of document.querySelectorAll('input[name="new_client_kind"]')) {
  radio.addEventListener("change", () => {
    if (label && radio.checked) label.textContent = radio.dataset.nameLabel;
  });
}
