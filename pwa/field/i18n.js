// The field app's words: Russian by default, English when the page says so.
const RU = {
  today: "Сегодня", noVisits: "На сегодня выездов нет", online: "в сети", offline: "нет сети",
  waiting: "ждут отправки", synced: "синхронизировано", never: "ещё не было", problems: "Проблемы",
  back: "← Назад", call: "Позвонить", route: "Маршрут", device: "Изделие", fault: "Неисправность",
  save: "Сохранить", visit: "Выезд", orderStatus: "Статус заказа", addLine: "Добавить работу или деталь",
  search: "Поиск по прайсу", qty: "Кол-во", add: "Добавить", comment: "Комментарий",
  send: "Отправить", photo: "Фото", caption: "Подпись к фото", signature: "Подпись клиента",
  signer: "Кто подписал", clear: "Очистить", payment: "Оплата на месте", amount: "Сумма",
  cash: "Наличные", card: "Карта", transfer: "Перевод", history: "История клиента",
  timeline: "Лента заказа", pending: "ожидает отправки", reason: "Причина срыва",
  planned: "Запланирован", en_route: "В пути", on_site: "На месте", done: "Выполнен",
  failed: "Сорван", cancelled: "Отменён", goEnRoute: "Выехал", goOnSite: "На месте",
  goDone: "Выполнено", goFailed: "Не состоялся", lines: "Работы и детали", total: "Итого",
  due: "К оплате", apply: "Отправить моё снова", discard: "Отменить изменение",
  server: "на сервере", mine: "моё", update: "Доступна новая версия", reload: "Обновить",
  km: "км", saved: "Сохранено на телефоне", noProblems: "Проблем нет", choose: "Выберите",
  notFound: "Выезд не найден на телефоне", loginAgain: "Сеанс закончился — войдите снова, изменения сохранены на телефоне", loading: "Загрузка…", lastSync: "Синхр.",
};
const EN = {
  today: "Today", noVisits: "No visits today", online: "online", offline: "offline",
  waiting: "waiting", synced: "synced", never: "never", problems: "Problems", back: "← Back",
  call: "Call", route: "Route", device: "Device", fault: "Fault", save: "Save", visit: "Visit",
  orderStatus: "Order status", addLine: "Add work or part", search: "Search the price list",
  qty: "Qty", add: "Add", comment: "Comment", send: "Send", photo: "Photo", caption: "Caption",
  signature: "Customer's signature", signer: "Signed by", clear: "Clear",
  payment: "Payment on site", amount: "Amount", cash: "Cash", card: "Card",
  transfer: "Transfer", history: "Client history", timeline: "Order timeline",
  pending: "waiting to be sent", reason: "Why it failed", planned: "Planned",
  en_route: "En route", on_site: "On site", done: "Done", failed: "Failed",
  cancelled: "Cancelled", goEnRoute: "On my way", goOnSite: "Arrived", goDone: "Done",
  goFailed: "Failed", lines: "Work and parts", total: "Total", due: "Due",
  apply: "Send mine again", discard: "Discard the change", server: "server", mine: "mine",
  update: "A new version is available", reload: "Reload", km: "km",
  saved: "Saved on the phone", noProblems: "No problems", choose: "Choose",
  notFound: "This visit is not on the phone",
  loginAgain: "Your session has ended — log in again; your changes are kept on the phone", loading: "Loading…", lastSync: "Sync",
};

const words = document.documentElement.lang === "en" ? EN : RU;

export function t(key) {
  return words[key] || key;
}
