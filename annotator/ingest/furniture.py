"""The vocabulary of page furniture: lines that are menus, share buttons, credits, teasers and
comment prompts rather than article text, and the word lists the prose features count.

Kept apart from the cleaner in ``text.py`` so the patterns can be read (and grown) as data.
"""

from __future__ import annotations

import re

import ahocorasick

# The phrase lists below, as bits of ``phrases_in``'s answer.
FURNITURE_PHRASE, FURNITURE_WORD, CREDIT_HINT, APPEAL_HINT, BOILER_IN_HINT, EMBED_HINT = (
    1 << i for i in range(6)
)

# Lines that are page furniture wherever they appear.
BOILER = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad choices|adchoices|skip to (?:main )?(?:content|article)"
    r"|read (?:more|next|full (?:story|article))|continue reading|more on (?:this|that)\b.*|see (?:all|more)"
    r"|(?:share|tweet|email|print|pin|save|copy link|comment|comments|reply|like|follow)(?: (?:this|on|us|via).*)?"
    r"|share this(?: article| story| page)?:?|sign (?:in|up|out)|log ?in|log ?out|register|subscribe(?: now| today)?"
    r"|menu|close|search|home|back to top|toggle .*|open navigation menu|show (?:more|less)|load more"
    r"|accept(?: all)?(?: cookies)?|reject(?: all)?|manage (?:cookies|preferences|settings)|cookie settings"
    r"|(?:related|recommended|popular|trending|most (?:read|popular|viewed|shared)|top stories|latest(?: news)?"
    r"|more (?:stories|from .*|news|in .*)|you (?:may|might) also like|read next|up next|editor'?s picks"
    r"|don'?t miss|what to read next|further reading|also read|see also)(?:\s*(?:stories|articles|posts|now|\.\.\.|…))?:?"
    r"|(?:\d+\s+)?comments?|view comments|post a comment|leave a (?:comment|reply)|add a comment|join the (?:conversation|discussion)"
    r"|\d+(?:[.,]\d+)?k?\s+(?:shares?|views?|comments?)|image|photo|video|gallery|listen|watch|play|pause"
    r"|\d{1,2}:\d\d(?::\d\d)?|min read|\d+\s+min(?:ute)?s?\s+read|•?\s*\d+\s+min(?:ute)? read)\.?$",
)
# Phrases that mark a line of up to 40 words as page furniture wherever they appear in it.
# Plain substrings, all found in one reading of the line (``phrases_in``); the few patterns follow.
FURNITURE = (
    "privacy policy",
    "terms of use",
    "terms of service",
    "all rights reserved",
    "©",
    "sign up for our",
    "subscribe to",
    "follow us",
    "download the app",
    "download our app",
    "app store",
    "google play",
    "enable javascript",
    "your browser",
    "click here",
    "tap here",
    "unsubscribe",
    "affiliate link",
    "earn a commission",
    "receive a commission",
    "small commission",
    "may earn",
    "may get a share",
    "terms and conditions",
    "already a subscriber",
    "create an account",
    "create your account",
    "author archive",
    "rss feed",
    "advertise with us",
    "back to main menu",
    "filed under",
    "tags:",
    "related tags",
    "this story has been shared",
    "opt-in",
    "your email address",
    "adchoices",
    "ad choices",
    "your inbox",
    "your subscription",
    "thanks for signing up",
    "thanks for subscribing",
    "sign up to",
    "sign up now",
    "internet explorer",
    "modern browser",
    "we use cookies",
    "uses cookies",
    "accept cookies",
    "cookie policy",
    "cookie settings",
    "newsletter",
    "can send me",
    "pic.twitter.com",
    "instagram.com/p/",
)
# Words that mark only a short line (up to 12 words) as furniture: in a sentence they are news.
FURNITURE_SHORT = (
    "copyright",
    "cookie",
    "subscribe",
    "about us",
    "contact us",
    "the author",
    "commission",
    "affiliate",
    "sign up",
    "log in",
    "sign in",
    "email",
    "share",
    "follow",
)
# A teaser card's call to action ("Night market returns to the quay Read more", its links glued
# or spaced) and an embedded post's signature line: "— City FC (@cityfc) April 11, 2021".
BOILER_IN = re.compile(r"shared \d|read more\s*(?:[»›>…]|$)|^[—–-]\s.{0,60}\(@\w+\)")
# A social post the article embeds: its text carries the post's picture link, its signature line
# names the account.  Quoted by the article, so body where the article is (lower case).
EMBED = re.compile(r"pic\.twitter\.com/\w|instagram\.com/p/|^[—–-]\s.{0,60}\(@\w+\)")


# Cookie consent and appeals to the reader (donate, subscribe, become a member): furniture however
# long the line, since they run to full sentences.  Lower case.
APPEAL = re.compile(
    r"we use cookies|uses cookies|cookies and (?:other |similar )*tracking|you consent to (?:our|the) use of cookies"
    r"|by (?:choosing|clicking|selecting) .{0,40}(?:accept|agree)"
    r"|\bdonate (?:today|now|to us|to keep)|please donate|support (?:us|our (?:work|journalism|reporting|newsroom))"
    r"|(?:your|a) (?:donation|contribution|gift) (?:helps|keeps|supports|of)|become a (?:member|patron|supporter)"
    r"|subscribe (?:today|now) (?:to|and|for)|sign up for our (?:free )?newsletters?"
)
# Each alternative of APPEAL contains one of these words (in order: the four cookie notices,
# "by clicking ... accept/agree", donate x2, support, donation/contribution/gift, become a,
# subscribe, sign up for our).  Add the word of a new alternative here.  The rarest fixed text
# of each stands for it: news prose often "agreed" or "accepted", or reports "support for"
# something, and each such line would cost a search of the whole pattern.
_APPEAL_HINTS = (
    "cookies",
    "by choosing ",
    "by clicking ",
    "by selecting ",
    "donate",
    "support us",
    "support our ",
    "donation ",
    "contribution ",
    "gift ",
    "become a ",
    "subscribe ",
    "sign up for our ",
)


def _automaton():
    """One Aho-Corasick automaton over every fixed phrase the line checks look for, each phrase
    valued with the bits of the lists it is on: ``phrases_in`` reads a line once and answers for
    all of them, where a substring test per phrase reads it a hundred times (a fifth of the
    cleaner's time went to those tests)."""
    bits: dict[str, int] = {}
    for bit, phrases in (
        (FURNITURE_PHRASE, FURNITURE),
        (FURNITURE_WORD, FURNITURE_SHORT),
        (CREDIT_HINT, CREDIT_HINTS),
        (APPEAL_HINT, _APPEAL_HINTS),
        (BOILER_IN_HINT, _BOILER_IN_HINTS),
        (EMBED_HINT, _EMBED_HINTS),
    ):
        for p in phrases:
            bits[p] = bits.get(p, 0) | bit
    automaton = ahocorasick.Automaton()
    for p, b in bits.items():
        automaton.add_word(p, b)
    automaton.make_automaton()
    return automaton


def phrases_in(low: str) -> int:
    """The bits of the phrase lists with a phrase in ``low`` (lower case): ``phrases_in(low) &
    CREDIT_HINT`` is ``any(h in low for h in CREDIT_HINTS)``."""
    found = 0
    for _, b in _PHRASES.iter(low):
        found |= b
    return found


def is_appeal(low: str, found: int | None = None) -> bool:
    """``APPEAL.search(low)``: a line without any alternative's fixed word cannot match, and
    finding the words costs a fraction of a regex search that tries every position of the line.
    ``found`` is ``phrases_in(low)`` when the caller has it."""
    if found is None:
        found = phrases_in(low)
    return bool(found & APPEAL_HINT) and APPEAL.search(low) is not None


def is_furniture(low: str, found: int | None = None) -> bool:
    """A ``FURNITURE`` phrase or a ``BOILER_IN`` pattern is in ``low``."""
    if found is None:
        found = phrases_in(low)
    return bool(found & FURNITURE_PHRASE) or has_boiler_in(low, found)


# Every alternative of BOILER_IN contains one of these.
_BOILER_IN_HINTS = ("shared ", "read more", "(@")


def has_boiler_in(low: str, found: int | None = None) -> bool:
    """``BOILER_IN.search(low)``, skipped when no alternative's fixed text is in the line."""
    if found is None:
        found = phrases_in(low)
    return bool(found & BOILER_IN_HINT) and BOILER_IN.search(low) is not None


# Every alternative of EMBED contains one of these (the same shortcut as ``has_boiler_in``).
_EMBED_HINTS = ("pic.twitter.com/", "instagram.com/p/", "(@")


def is_embed(low: str, found: int | None = None) -> bool:
    """``EMBED.search(low)``, skipped when no alternative's fixed text is in the line."""
    if found is None:
        found = phrases_in(low)
    return bool(found & EMBED_HINT) and EMBED.search(low) is not None


# Section headers after which teasers, comments or footers follow.
STOP = re.compile(
    r"^(?:related(?: articles| stories| posts| coverage.*| content| reading)?|more (?:stories|from .*|news)"
    r"|you (?:may|might) also like.*|recommended(?: for you| stories| reading)?|read next|up next|most (?:read|popular|viewed|shared)(?: today| now| this week| this month)?"
    r"|popular(?: on .*| now| stories)?|trending(?: now| stories)?|top stories|comments?|\d+ comments?|top rated comments"
    r"|leave a (?:comment|reply)|about the author|more great .* stories|latest(?: news| headlines| stories)?"
    r"|sponsored(?: stories| content)?|around the web|from our partners|editor'?s picks|don'?t miss)\s*:?$",
)
# Comment sections end an article: nothing after them is body.
COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies)(?:\s*\(\d+\))?$|^(?:top rated|view|show|read|load|all|post a|add a|"
    r"leave a|write a|join the)\s+(?:\d+\s+)?(?:comments?|reply|discussion|conversation)|^(?:what do you think|"
    r"have your say|conversation)\??$"
)
# The same furniture in the other languages news is written in, as whole lines (lower case,
# without the bullets and colons ``lines`` strips): the English patterns above do not see a
# Portuguese "Publicidade" or a Japanese "関連記事".  Whole lines, because inside a sentence
# these words are news.  One language to a line; entries are separated by commas.


def _entries(text: str) -> frozenset[str]:
    return frozenset(e.strip() for line in text.strip().splitlines() for e in line.split(",") if e.strip())


# Advertising labels, share and sign-in buttons, "read more" links, search boxes, "back to top",
# "back" links.
FURNITURE_LINES = _entries(
    """
    publicidade, compartilhe, compartilhar, leia mais, saiba mais, pesquisar, entrar, assine, voltar ao topo
    publicidad, compartir, leer más, ver más, buscar, iniciar sesión, suscríbete, volver arriba
    publicité, partager, lire la suite, en savoir plus, rechercher, se connecter, connexion, s'abonner, retour en haut
    anzeige, werbung, teilen, weiterlesen, mehr lesen, suche, anmelden, abonnieren, nach oben
    pubblicità, condividi, leggi di più, continua a leggere, cerca, accedi, abbonati, torna su
    advertentie, delen, lees meer, zoeken, inloggen
    reklama, реклама, поделиться, читать далее, подробнее, поиск, войти, подписаться, наверх
    広告, シェア, 続きを読む, もっと見る, 検索, ログイン, ページトップへ, トップへ戻る
    광고, 공유, 더보기, 검색, 로그인, 구독, 맨 위로
    广告, 廣告, 分享, 阅读全文, 阅读更多, 搜索, 登录, 订阅, 返回顶部
    quảng cáo, chia sẻ, đọc thêm, xem thêm, tìm kiếm, đăng nhập
    iklan, bagikan, baca juga, reklam, paylaş, devamını oku
    voltar, volver, retour, zurück, zurück zur übersicht, zur übersicht, indietro, terug, назад, 戻る, 뒤로, 返回
    """
)
# Section headings after which other stories follow ("Related", "Most read": STOP above).
STOP_LINES = _entries(
    """
    notícias relacionadas, matérias relacionadas, artigos relacionados, leia também, mais lidas, veja também
    noticias relacionadas, artículos relacionados, lee también, te puede interesar, lo más leído, más noticias
    articles similaires, à lire aussi, lire aussi, sur le même sujet, les plus lus
    das könnte sie auch interessieren, mehr zum thema, meistgelesen, ähnliche artikel, auch interessant
    articoli correlati, leggi anche, potrebbe interessarti, i più letti
    gerelateerde artikelen, meest gelezen, lees ook
    похожие статьи, читайте также, популярное, по теме, другие новости
    関連記事, 関連ニュース, おすすめ記事, 人気記事, アクセスランキング
    관련기사, 관련 기사, 많이 본 뉴스, 인기 기사
    相关文章, 相关阅读, 相关新闻, 热门文章, 推荐阅读
    tin liên quan, bài viết liên quan, đọc nhiều nhất, berita terkait, ilgili haberler
    """
)
# Headings of a reader-comment section, which ends the article (COMMENTS above).
COMMENT_LINES = _entries(
    """
    comentários, comentarios, deixe seu comentário, deja un comentario
    commentaires, laisser un commentaire, kommentare, kommentar schreiben, commenti, lascia un commento
    reacties, комментарии, оставить комментарий, コメント, コメントを書く, 댓글, 评论, 發表評論
    bình luận, komentar, yorumlar
    """
)


READ_MORE = re.compile(
    r"^(?:read more|read next|more|continue reading|see more|read the full story)\s*[:»›>…]*$", re.I
)
CREDIT = re.compile(
    r"(?:©|\b(?:photo(?:graph)?s?|image|picture|pictured|credit|illustration|video)\s*(?:by|:|credit:?)"
    # ... and in other languages, a compound too ("Foto:", "Archivfoto:", "Bild:", "Crédit :").
    r"|(?:^|[.…!?]\s*)(?:\w*fotos?|bild(?:er)?|cr[ée]dits?|crédito)\s*:"
    r"|\b(?:getty images|reuters|associated press|ap photo|shutterstock|alamy|istock(?:photo)?|file photo"
    r"|courtesy of|via getty)\b|\((?:source|credit|photo|image)s?:)"
)
# Agencies known by an acronym credit a picture in capitals, at the end of the line or before the
# photographer's name ("Photo: EPA", "AFP/Jo Lee", "EPA-EFE"); inside a sentence or a headline
# the same letters are news ("the electronic record (ePA) is late", "EPA rolls back a rule").
CREDIT_ACRONYM = re.compile(r"\b(?:AFP|EPA)(?:\)?\s*$|/|-EFE\b)")
CREDIT_HINTS = (
    "©",
    "foto",
    "bild",
    "créd",
    "source",
    "photo",
    "image",
    "pictur",
    "credit",
    "illustration",
    "video",
    "getty",
    "reuters",
    "press",
    "afp",
    "shutterstock",
    "epa",
    "alamy",
    "istock",
    "courtesy",
)
PAREN_CREDIT = re.compile(
    r"\s*\((?:photo(?:graph)?|image|picture|credit|source)s?\s*(?:by|:)\s*([^()]+)\)\s*$", re.I
)
CREDIT_SPLIT = re.compile(
    r"\s*(?:©|\((?:photo|image|credit)[^)]*\)|\b(?:photo(?:graph)?|image|picture|credit|illustration)s?"
    r"\s*(?:by|:|credit:?)\s*|(?<=[.…!?])\s*(?:\w*fotos?|bild)\s*:\s*)",
    re.I,
)
# A sentence end, maybe followed by closing quotes or brackets and by emoji or other symbols.
_STOPS = r"[.!?…。！？｡।۔]"
_CLOSERS = r"[\"'”’»)\]」』）]"
_SYMBOL = r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]"
_QUOTE_END = r"[\"”’»」』]"
TERMINAL = re.compile(rf"{_STOPS}{_CLOSERS}*(?:\s*{_SYMBOL})*$|{_QUOTE_END}$")
# The same pattern read backwards, matched at the start of the reversed line.  ``search`` with an
# end anchor tries every position of the line; this tries one, and a line is tested several times.
_TERMINAL_REVERSED = re.compile(rf"(?:{_SYMBOL}\s*)*{_CLOSERS}*{_STOPS}|{_QUOTE_END}")


def ends_sentence(text: str) -> bool:
    """``TERMINAL.search(text)``, faster: a suffix of ``text`` is in TERMINAL's language exactly
    when a prefix of the reversed text is in the reversed pattern's."""
    back = text[::-1]
    if _TERMINAL_REVERSED.match(back):
        return True
    # ``$`` also matches before a final newline.
    return back[:1] == "\n" and _TERMINAL_REVERSED.match(back, 1) is not None


STOPWORDS = frozenset(
    "the a an of to in and is are was were that for on with as at by from it its he she they his her their this "
    "be been has have had not but or which who will would said says could should also than more after over into "
    "about there when we our you i".split()
)
# A teaser card rendered without a separator: a Title Case headline glued to its summary
# ("Tape Gaffe Ends Hamlin's Title RunDenny Hamlin's championship run was ...").
GLUED = re.compile(
    r"^(?:(?:[A-Z0-9‘'\"“$(][^\s]*|of|in|a|an|the|to|for|and|on|at|with|vs\.?|from|by|is|as|or)\s+){3,}"
    r"[^\s]*[a-z][A-Z][a-z]"
)


def glued(text: str) -> bool:
    g = GLUED.match(text)
    if not g:
        return False
    # The run before the glue must be Title Case ("Tape Gaffe Ends ... RunDenny"), not a
    # sentence that reaches a brand name ("Following the 16-inch MacBook").
    alpha = [w for w in g.group(0).split() if w[:1].isalpha()]
    caps = sum(1 for w in alpha if w[:1].isupper())
    # Menu items glued together have no commas between them; a list in a sentence has.
    return caps >= 3 and caps >= 0.6 * len(alpha) and ", " not in g.group(0)


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# WORD for ASCII text: there a letter ([^\W\d_]) is [A-Za-z] and the only apostrophe is "'", so it
# finds the same words, in about two thirds of the time.
ASCII_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")

_PHRASES = _automaton()
