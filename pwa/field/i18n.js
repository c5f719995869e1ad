// The field app's words: Russian by default, English when the employee's language is en.
const RU = {
  today: "Сегодня", tomorrow: "Завтра", yesterday: "Вчера", days: "Дни",
  visits: "Выезды", visit: "Выезд", noVisits: "Выездов на этот день нет", loading: "Загрузка…",
  noWindow: "время не согласовано", km: "км", notFound: "Этого выезда нет на телефоне",
  back: "Назад", order: "Заказ", fault: "Неисправность", change: "Изменить",
  warrantyUntil: "На гарантии до {date}", warrantyOver: "Гарантия закончилась {date}",
  lines: "Работы и детали", noLines: "Строк пока нет", total: "Итого", paid: "Оплачено",
  due: "К оплате", timeline: "Лента заказа", history: "История",
  historyDevice: "Это изделие раньше", historyClient: "Другие заказы клиента",
  actions: "Действия", route: "Навигатор", yandexMaps: "Яндекс Карты", googleMaps: "Google Maps",
  call: "Позвонить",
  planned: "Запланирован", en_route: "В пути", on_site: "На месте", done: "Выполнен",
  failed: "Не состоялся", cancelled: "Отменён",
  go_en_route: "Выехал", go_on_site: "На месте", go_done: "Выполнено", go_failed: "Не состоялся",
  go_planned: "Вернуть в план", confirmDone: "Точно выполнено? Нажмите ещё раз",
  reason: "Причина", reasonNeeded: "Укажите причину", reasonNobodyHome: "Клиента нет на месте",
  reasonNoAccess: "Нет доступа к изделию", reasonCancelled: "Клиент отказался",
  reasonNeedPart: "Нужна запчасть",
  addLine: "Работа или деталь", search: "Поиск по прайсу", qty: "Кол-во", nothingFound: "Ничего не найдено",
  kind_service: "работа", kind_part: "запчасть", kind_good: "товар", line: "Строка",
  cancel: "Отмена", save: "Сохранить", send: "Отправить",
  photo: "Фото", takePhoto: "Сфотографировать", caption: "Подпись к фото",
  captionHint: "Что на фото", noPhoto: "Сначала сделайте фото", notAnImage: "Это не фотография",
  signature: "Подпись клиента", signHere: "Клиент расписывается пальцем в рамке",
  signer: "Кто подписал", signerNeeded: "Укажите, кто подписал", noSignature: "Подписи нет",
  clear: "Очистить",
  payment: "Оплата на месте", amount: "Сумма", badAmount: "Сумма — число больше нуля",
  cash: "Наличные", card: "Карта", transfer: "Перевод",
  comment: "Комментарий", emptyComment: "Напишите комментарий",
  orderStatus: "Статус заказа", now: "Сейчас", chooseStatus: "Выберите статус",
  field_declared_fault: "Неисправность", field_appearance: "Внешний вид", field_accessories: "Комплектация",
  online: "в сети", offline: "нет связи", waiting: "ждут", never: "ещё не было",
  lastSync: "Последняя синхронизация", syncPage: "Синхронизация", syncNow: "Синхронизировать",
  waitingCount: "Ждут отправки", waitingList: "Ждут отправки", problems: "Проблемы",
  noProblems: "Проблем нет", pending: "ждёт отправки", conflict: "конфликт", rejected: "отклонено",
  held: "ждёт входа автора", heldReason: "Это изменение сделал другой сотрудник на этом телефоне: оно уйдёт, когда он снова войдёт",
  mine: "моё", server: "на сервере", insist: "Отправить моё снова", sendAgain: "Отправить снова",
  discard: "Отказаться", discardSure: "Точно отказаться? Нажмите ещё раз",
  noServer: "Сервер недоступен — изменения сохранены на телефоне", serverSaid: "Сервер ответил",
  loginAgain: "Сеанс закончился — войдите снова; изменения сохранены на телефоне", logIn: "Войти",
  update: "Доступна новая версия", reload: "Обновить",
  notifications: "Уведомления", mySchedule: "Мой график", noSchedule: "График на ближайшие дни пуст", dayOff: "Выходной",
  noLunch: "без обеда", lunchWindow: "обед {minutes} мин в {from}–{to}",
  dayChanged: "Диспетчер изменил ваш план", dayAdded: "новых выездов: {n}", dayRemoved: "снято: {n}",
  dayMoved: "перенесено: {n}", understood: "Понятно",
};

const EN = {
  today: "Today", tomorrow: "Tomorrow", yesterday: "Yesterday", days: "Days",
  visits: "Visits", visit: "Visit", noVisits: "No visits on this day", loading: "Loading…",
  noWindow: "no time agreed", km: "km", notFound: "This visit is not on the phone",
  back: "Back", order: "Order", fault: "Fault", change: "Change",
  warrantyUntil: "Under warranty until {date}", warrantyOver: "Warranty ended {date}",
  lines: "Work and parts", noLines: "No lines yet", total: "Total", paid: "Paid",
  due: "Due", timeline: "Order timeline", history: "History",
  historyDevice: "This device before", historyClient: "Other orders of the client",
  actions: "Actions", route: "Navigator", yandexMaps: "Yandex Maps", googleMaps: "Google Maps",
  call: "Call",
  planned: "Planned", en_route: "En route", on_site: "On site", done: "Done",
  failed: "Failed", cancelled: "Cancelled",
  go_en_route: "On my way", go_on_site: "Arrived", go_done: "Done", go_failed: "Failed",
  go_planned: "Back to planned", confirmDone: "Really done? Tap again",
  reason: "Reason", reasonNeeded: "Say why", reasonNobodyHome: "Nobody there",
  reasonNoAccess: "No access to the device", reasonCancelled: "The client refused",
  reasonNeedPart: "A part is needed",
  addLine: "Work or part", search: "Search the price list", qty: "Qty", nothingFound: "Nothing found",
  kind_service: "work", kind_part: "part", kind_good: "goods", line: "Line",
  cancel: "Cancel", save: "Save", send: "Send",
  photo: "Photo", takePhoto: "Take a photo", caption: "Caption",
  captionHint: "What the photo shows", noPhoto: "Take a photo first", notAnImage: "This is not a photo",
  signature: "Customer's signature", signHere: "The customer signs with a finger in the frame",
  signer: "Signed by", signerNeeded: "Say who signed", noSignature: "No signature",
  clear: "Clear",
  payment: "Payment on site", amount: "Amount", badAmount: "The amount is a number above zero",
  cash: "Cash", card: "Card", transfer: "Transfer",
  comment: "Comment", emptyComment: "Write a comment",
  orderStatus: "Order status", now: "Now", chooseStatus: "Choose a status",
  field_declared_fault: "Fault", field_appearance: "Appearance", field_accessories: "Accessories",
  online: "online", offline: "no connection", waiting: "waiting", never: "never",
  lastSync: "Last sync", syncPage: "Sync", syncNow: "Sync now",
  waitingCount: "Waiting to be sent", waitingList: "Waiting to be sent", problems: "Problems",
  noProblems: "No problems", pending: "waiting", conflict: "conflict", rejected: "rejected",
  held: "waits for its author", heldReason: "Another employee made this change on this phone: it goes when they log in again",
  mine: "mine", server: "server", insist: "Send mine again", sendAgain: "Send again",
  discard: "Give up", discardSure: "Really give it up? Tap again",
  noServer: "The server cannot be reached — changes are kept on the phone", serverSaid: "The server said",
  loginAgain: "Your session has ended — log in again; changes are kept on the phone", logIn: "Log in",
  update: "A new version is available", reload: "Reload",
  notifications: "Notifications", mySchedule: "My schedule", noSchedule: "No days in the schedule yet", dayOff: "Day off",
  noLunch: "no lunch", lunchWindow: "lunch {minutes} min within {from}–{to}",
  dayChanged: "The dispatcher changed your plan", dayAdded: "new visits: {n}", dayRemoved: "taken off: {n}",
  dayMoved: "moved: {n}", understood: "Got it",
};

let words = RU;
let code = "ru";

export function setLanguage(language) {
  code = language === "en" ? "en" : "ru";
  words = code === "en" ? EN : RU;
  document.documentElement.lang = code;
}

export function lang() {
  return code;
}

// A phrase by key, with {named} values filled in; an unknown key shows itself.
export function t(key, params = null) {
  const text = words[key] ?? RU[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? "")) : text;
}
