// A passage selected in a source's text, made the quote of a claim: on the source's page it
// opens a new claim (in a new tab) with the passage as its quote; on the claim form it fills
// the quote field. Without JavaScript the paragraph links do the first, and the text is there
// to copy.
"use strict";
{
    // The longest passage sent in a link (a quote is a sentence or a few, not pages).
    const MAX_QUOTE = 3000;
    const panel = document.getElementById("source-body");
    if (panel) {
        const list = panel.querySelector(".source-paragraphs");
        const actions = panel.querySelector(".source-body-actions");
        const button = panel.querySelector("[data-claim-from-selection]");
        const status = panel.querySelector(".source-body-status");
        const quoteField = panel.dataset.fillQuote ? document.getElementById(panel.dataset.fillQuote) : null;
        const positionField = panel.dataset.fillPosition ? document.getElementById(panel.dataset.fillPosition) : null;
        let passage = "";
        let position = "";

        // The selected text of the paragraphs, links left out, whitespace made single spaces.
        const selectedPassage = function() {
            const selection = document.getSelection();
            if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
                return "";
            }
            const range = selection.getRangeAt(0);
            if (!list.contains(range.startContainer) || !list.contains(range.endContainer)) {
                return "";
            }
            const fragment = range.cloneContents();
            fragment.querySelectorAll(".source-paragraph-tools").forEach((tools) => tools.remove());
            fragment.querySelectorAll(".source-paragraph").forEach((paragraph) => paragraph.append(" "));
            return fragment.textContent.replace(/\s+/g, " ").trim();
        };

        // Where the selection begins in the source's normalised text: its paragraph's start
        // plus the paragraph's text before it, whitespace made single spaces. The server
        // anchors the quote at the occurrence nearest it, so that the words selected are
        // quoted there and not where the same words come first.
        const selectedPosition = function() {
            const selection = document.getSelection();
            if (!selection || selection.rangeCount === 0) {
                return "";
            }
            const range = selection.getRangeAt(0);
            const start = range.startContainer;
            const item = (start.nodeType === Node.ELEMENT_NODE ? start : start.parentElement).closest("li");
            const paragraph = item && list.contains(item) ? item.querySelector(".source-paragraph[data-start]") : null;
            if (!paragraph) {
                return "";
            }
            if (!paragraph.contains(start)) {
                return paragraph.dataset.start;
            }
            const before = document.createRange();
            before.setStart(paragraph, 0);
            before.setEnd(range.startContainer, range.startOffset);
            const text = before.toString().replace(/\s+/g, " ").replace(/^ /, "");
            const selected = range.toString();
            // The selection's own leading whitespace is not part of the quote.
            const skipped = selected.length - selected.replace(/^\s+/, "").length;
            return String(Number(paragraph.dataset.start) + text.length + (skipped && text ? 1 : 0));
        };

        const update = function() {
            passage = selectedPassage();
            position = passage ? selectedPosition() : "";
            const words = passage ? passage.split(" ").length : 0;
            if (passage.length > MAX_QUOTE) {
                status.textContent = `${words} words selected: too long for one quote; select less.`;
            } else {
                status.textContent = passage ? `${words} word${words === 1 ? "" : "s"} selected.` : "Select a passage of the text below.";
            }
            button.disabled = !passage || passage.length > MAX_QUOTE;
        };

        button.addEventListener("click", function() {
            if (!passage) {
                return;
            }
            if (quoteField) {
                quoteField.value = passage;
                if (positionField) {
                    positionField.value = position;
                }
                quoteField.dispatchEvent(new Event("input", {bubbles: true}));
                quoteField.focus();
                status.textContent = "The quote is filled in.";
                return;
            }
            const query = new URLSearchParams({source: panel.dataset.source, quote: passage});
            if (position) {
                query.set("quote_at", position);
            }
            window.open(`${panel.dataset.claimAddUrl}?${query}`, "_blank", "noopener");
        });
        document.addEventListener("selectionchange", update);
        actions.hidden = false;
    }
}
