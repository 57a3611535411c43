// whatsapp-web.js drives the OS's Chromium (apt-get install chromium); never download a browser.
module.exports = { skipDownload: true };
