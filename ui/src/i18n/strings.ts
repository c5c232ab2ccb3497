// The key set of every UI string. `kk.ts` and `ru.ts` are both typed `Strings`, so a
// key missing from either language (or misspelt) fails `tsc` (UI.md: "Kazakh and
// Russian are equal: every string in both"). Labels of statuses, sync marks, reject
// reasons, document kinds, languages and error codes are not here: they come from
// the Rust catalogue (`desk::catalogue()`), the one source shared with the CLI.
export interface Strings {
  appName: string;
  journalTitle: string;
  languageSwitch: string;

  searchLabel: string;
  searchPlaceholder: string;
  searchShortcut: string;

  filtersTitle: string;
  filterStatus: string;
  filterAll: string;
  filterGrade: string;
  filterLanguage: string;
  filterAny: string;
  filterSubmitted: string;
  filterFrom: string;
  filterTo: string;
  filterReset: string;
  gradeValue: string;

  colNumber: string;
  colChild: string;
  colIin: string;
  colSubmitted: string;
  colSchool: string;
  colGrade: string;
  colLanguage: string;
  colStatus: string;

  shownOf: string;
  loadMore: string;
  loading: string;
  nothingFound: string;
  provisional: string;

  tabInfo: string;
  tabHistory: string;
  tabDocuments: string;
  close: string;
  closeShortcut: string;
  accept: string;
  reject: string;
  decisionPending: string;
  acceptShortcut: string;
  rejectShortcut: string;

  sectionApplication: string;
  sectionApplicant: string;
  sectionChild: string;
  sectionContacts: string;
  sectionAddress: string;
  sectionSchool: string;
  sectionConsents: string;

  fieldNumber: string;
  fieldStatus: string;
  fieldSync: string;
  fieldSubmitted: string;
  fieldVersion: string;
  fieldName: string;
  fieldIin: string;
  fieldBirthDate: string;
  fieldSex: string;
  fieldBirthCertificate: string;
  fieldPhone: string;
  fieldPhoneExtra: string;
  fieldEmail: string;
  fieldRegisteredAddress: string;
  fieldActualAddress: string;
  fieldMicroDistrict: string;
  fieldTemporaryRegistration: string;
  fieldSchool: string;
  fieldGrade: string;
  fieldLanguage: string;
  fieldRejectReason: string;
  fieldPortalMessage: string;
  fieldConsentRules: string;
  fieldConsentPersonalData: string;
  fieldNotifications: string;
  sexMale: string;
  sexFemale: string;
  yes: string;
  no: string;
  none: string;

  historyWhen: string;
  historyWho: string;
  historyWhat: string;
  historyEmpty: string;

  documentsName: string;
  documentsSize: string;
  documentsEmpty: string;
  documentsFromApplicant: string;
  documentsGenerated: string;
  download: string;
  downloadPending: string;
  kilobytes: string;

  statusBarClerk: string;
  statusBarSchool: string;
  online: string;
  offline: string;
  offlineHint: string;
  lastSync: string;
  neverSynced: string;
  waiting: string;
  refused: string;

  errorTitle: string;
  errorGeneric: string;
  errorCode: string;
  retry: string;

  // --- sign-in and sync (helper B) ---
  signInTitle: string;
  signInDistrict: string;
  signInDistrictPick: string;
  signInByIin: string;
  signInIin: string;
  signInPassword: string;
  signInButton: string;
  signInBusy: string;
  signInOffline: string;
  signInOfflineHint: string;
  signInDemo: string;
  signInPortal: string;
  signInIinInvalid: string;
  signInPasswordEmpty: string;
  signInAgain: string;
  syncing: string;
  syncingRows: string;
  signInRequired: string;
  noPortal: string;
  noPortalHint: string;
  syncNow: string;
  lastError: string;
  refusedHint: string;

  // --- decisions, receipts, documents (helper A) ---
  acceptDialogTitle: string;
  acceptDialogLead: string;
  rejectDialogTitle: string;
  rejectDialogLead: string;
  confirmAccept: string;
  confirmReject: string;
  confirmShortcut: string;
  cancel: string;
  cancelShortcut: string;
  decisionWhat: string;
  rejectReason: string;
  rejectReasonChoose: string;
  rejectText: string;
  rejectTextRequired: string;
  signingKey: string;
  keyTokensSearching: string;
  keyTokensNone: string;
  keyTokenLabel: string;
  keyFile: string;
  keyFilePath: string;
  keyFileBrowse: string;
  certValidUntil: string;
  certSigning: string;
  certAuthOnly: string;
  tokenPinLow: string;
  tokenPinFinal: string;
  tokenPinLocked: string;
  pinLabelToken: string;
  pinLabelFile: string;
  signingBusy: string;
  decisionSigned: string;
  decisionClosed: string;
  printReceipt: string;
  printShortcut: string;
  savePdf: string;
  receiptLanguage: string;
  receiptSection: string;
  receiptOpened: string;
  receiptWritten: string;
  receiptProvisional: string;
  fileSaved: string;
  downloadOffline: string;
  downloadTitle: string;
}

export type StringKey = keyof Strings;
