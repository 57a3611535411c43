export {
  detectAnyLanguage,
  detectLanguage,
  MIN_LETTERS_FOR_DETECTION,
  type LanguageResult,
} from './detect-language';
