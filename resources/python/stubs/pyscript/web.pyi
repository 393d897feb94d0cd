"""The page as Python objects: find elements, create them, change them, handle their events.

`from pyscript import web`, then `web.page["my-id"]`, `web.page.find(".item")`,
`web.page.append(web.div("Hello", classes=["note"]))`.
"""

from typing import Any, Iterator, overload

from pyscript.events import Event

class Element:
    """An HTML element, new (`web.div("text")`) or found in the page (`web.page["id"]`).

    DOM properties and methods are attributes: `element.textContent = "hi"`, `element.focus()`.
    `classes` acts as a set, `style` as a dict, `on_click` (any `on_` + event name) is an
    Event to add listeners to. `for_` and `class_` stand for the `for` and `class` attributes."""

    id: str
    innerHTML: str
    textContent: str
    innerText: str
    value: Any
    title: str
    tagName: str
    disabled: bool
    hidden: bool
    checked: bool
    on_click: Event
    """The element's "click" event: `element.on_click.add_listener(handler)` or `@when(element.on_click)`."""
    on_change: Event
    on_input: Event
    on_submit: Event
    on_keydown: Event
    on_keyup: Event

    def __init__(self, dom_element: Any = None, classes: str | list[str] | None = None, style: dict[str, str] | None = None, **kwargs: Any) -> None: ...
    @classmethod
    def get_tag_name(cls) -> str:
        """The HTML tag name of this class ("input" for `input_`)."""
        ...
    @classmethod
    def wrap_dom_element(cls, dom_element: Any) -> "Element":
        """Wrap a JavaScript DOM element in the matching Element class."""
        ...
    @overload
    def __getitem__(self, key: int) -> "Element": ...
    @overload
    def __getitem__(self, key: slice) -> "ElementCollection": ...
    @overload
    def __getitem__(self, key: str) -> "Element | None": ...
    def __getattr__(self, name: str) -> Any: ...
    @property
    def children(self) -> "ElementCollection":
        """The element's children."""
        ...
    @property
    def classes(self) -> "Classes":
        """The element's CSS classes, as a set: add, remove, discard, `in`."""
        ...
    @property
    def style(self) -> "Style":
        """The element's inline CSS, as a dict: `element.style["color"] = "red"`."""
        ...
    @property
    def parent(self) -> "Element | None":
        """The parent element, or None."""
        ...
    def get_event(self, name: str) -> Event:
        """The Event for "on_" + a DOM event name, e.g. get_event("on_click")."""
        ...
    def append(self, *items: Any) -> None:
        """Add children: Elements, collections, lists, DOM nodes, or text and numbers."""
        ...
    def clone(self, clone_id: str | None = None) -> "Element":
        """A deep copy of the element, with a new id if given."""
        ...
    def find(self, selector: str) -> "ElementCollection":
        """The descendants that match a CSS selector."""
        ...
    def show_me(self) -> None:
        """Scroll the element into view."""
        ...
    def update(self, classes: str | list[str] | None = None, style: dict[str, str] | None = None, **kwargs: Any) -> None:
        """Set classes, styles and attributes in one call."""
        ...

class Classes(set[str]):
    """An element's CSS classes; changes apply to the page at once."""

    def add(self, class_name: str) -> None: ...
    def remove(self, class_name: str) -> None: ...
    def discard(self, class_name: str) -> None: ...
    def clear(self) -> None: ...

class Style(dict[str, str]):
    """An element's inline styles, by CSS property name ("background-color")."""

class ContainerElement(Element):
    """An element that holds children, given as arguments: `web.div(web.h1("Title"), "<p>html</p>")`."""

    def __init__(self, *args: Any, children: list[Any] | None = None, dom_element: Any = None, style: dict[str, str] | None = None, classes: str | list[str] | None = None, **kwargs: Any) -> None: ...
    def __iter__(self) -> Iterator[Element]: ...

class ElementCollection:
    """Several elements, from `find()`: iterate, index, slice, or look one up by id."""

    def __init__(self, elements: list[Element]) -> None: ...
    @classmethod
    def wrap_dom_elements(cls, dom_elements: Any) -> "ElementCollection": ...
    @overload
    def __getitem__(self, key: int) -> Element: ...
    @overload
    def __getitem__(self, key: slice) -> "ElementCollection": ...
    @overload
    def __getitem__(self, key: str) -> Element | None: ...
    def __iter__(self) -> Iterator[Element]: ...
    def __len__(self) -> int: ...
    @property
    def elements(self) -> list[Element]:
        """The elements, as a list."""
        ...
    def find(self, selector: str) -> "ElementCollection":
        """The descendants of every element that match a CSS selector."""
        ...
    def update_all(self, classes: str | list[str] | None = None, style: dict[str, str] | None = None, **kwargs: Any) -> None:
        """Set classes, styles and attributes on every element."""
        ...

class Options:
    """The <option>s of a select, datalist or optgroup."""

    def __getitem__(self, key: int) -> Element: ...
    def __iter__(self) -> Iterator[Element]: ...
    def __len__(self) -> int: ...
    @property
    def options(self) -> list[Element]: ...
    @property
    def selected(self) -> Element:
        """The selected option."""
        ...
    def add(self, value: Any = None, html: str | None = None, text: str | None = None, before: Any = None, **kwargs: Any) -> None:
        """Add an option (before another one, or at the end)."""
        ...
    def clear(self) -> None:
        """Remove every option."""
        ...
    def remove(self, index: int) -> None:
        """Remove the option at `index`."""
        ...

class HasOptions:
    @property
    def options(self) -> Options:
        """The element's options."""
        ...

class canvas(ContainerElement):
    """HTML <canvas> element, with download() and draw()."""

    def download(self, filename: str = "snapped.png") -> None:
        """Save the canvas as an image file."""
        ...
    def draw(self, what: Any, width: int | None = None, height: int | None = None) -> None:
        """Draw an image, video or canvas onto this canvas, scaled if width/height are given."""
        ...

class video(ContainerElement):
    """HTML <video> element, with snap()."""

    def snap(self, to: Any = None, width: int | None = None, height: int | None = None) -> canvas:
        """Copy the current frame to a canvas (a new one if `to` is None)."""
        ...

class datalist(ContainerElement, HasOptions):
    """HTML <datalist> element."""

class optgroup(ContainerElement, HasOptions):
    """HTML <optgroup> element."""

class select(ContainerElement, HasOptions):
    """HTML <select> element; its `options` can be added, removed and read."""

class a(ContainerElement):
    """HTML <a> element: `web.a(*children, **attributes)`."""

class abbr(ContainerElement):
    """HTML <abbr> element: `web.abbr(*children, **attributes)`."""

class address(ContainerElement):
    """HTML <address> element: `web.address(*children, **attributes)`."""

class article(ContainerElement):
    """HTML <article> element: `web.article(*children, **attributes)`."""

class aside(ContainerElement):
    """HTML <aside> element: `web.aside(*children, **attributes)`."""

class audio(ContainerElement):
    """HTML <audio> element: `web.audio(*children, **attributes)`."""

class b(ContainerElement):
    """HTML <b> element: `web.b(*children, **attributes)`."""

class blockquote(ContainerElement):
    """HTML <blockquote> element: `web.blockquote(*children, **attributes)`."""

class body(ContainerElement):
    """HTML <body> element: `web.body(*children, **attributes)`."""

class button(ContainerElement):
    """HTML <button> element: `web.button(*children, **attributes)`."""

class caption(ContainerElement):
    """HTML <caption> element: `web.caption(*children, **attributes)`."""

class cite(ContainerElement):
    """HTML <cite> element: `web.cite(*children, **attributes)`."""

class code(ContainerElement):
    """HTML <code> element: `web.code(*children, **attributes)`."""

class colgroup(ContainerElement):
    """HTML <colgroup> element: `web.colgroup(*children, **attributes)`."""

class data(ContainerElement):
    """HTML <data> element: `web.data(*children, **attributes)`."""

class dd(ContainerElement):
    """HTML <dd> element: `web.dd(*children, **attributes)`."""

class del_(ContainerElement):
    """HTML <del> element: `web.del_(*children, **attributes)`."""

class details(ContainerElement):
    """HTML <details> element: `web.details(*children, **attributes)`."""

class dialog(ContainerElement):
    """HTML <dialog> element: `web.dialog(*children, **attributes)`."""

class div(ContainerElement):
    """HTML <div> element: `web.div(*children, **attributes)`."""

class dl(ContainerElement):
    """HTML <dl> element: `web.dl(*children, **attributes)`."""

class dt(ContainerElement):
    """HTML <dt> element: `web.dt(*children, **attributes)`."""

class em(ContainerElement):
    """HTML <em> element: `web.em(*children, **attributes)`."""

class fieldset(ContainerElement):
    """HTML <fieldset> element: `web.fieldset(*children, **attributes)`."""

class figcaption(ContainerElement):
    """HTML <figcaption> element: `web.figcaption(*children, **attributes)`."""

class figure(ContainerElement):
    """HTML <figure> element: `web.figure(*children, **attributes)`."""

class footer(ContainerElement):
    """HTML <footer> element: `web.footer(*children, **attributes)`."""

class form(ContainerElement):
    """HTML <form> element: `web.form(*children, **attributes)`."""

class h1(ContainerElement):
    """HTML <h1> element: `web.h1(*children, **attributes)`."""

class h2(ContainerElement):
    """HTML <h2> element: `web.h2(*children, **attributes)`."""

class h3(ContainerElement):
    """HTML <h3> element: `web.h3(*children, **attributes)`."""

class h4(ContainerElement):
    """HTML <h4> element: `web.h4(*children, **attributes)`."""

class h5(ContainerElement):
    """HTML <h5> element: `web.h5(*children, **attributes)`."""

class h6(ContainerElement):
    """HTML <h6> element: `web.h6(*children, **attributes)`."""

class head(ContainerElement):
    """HTML <head> element: `web.head(*children, **attributes)`."""

class header(ContainerElement):
    """HTML <header> element: `web.header(*children, **attributes)`."""

class hgroup(ContainerElement):
    """HTML <hgroup> element: `web.hgroup(*children, **attributes)`."""

class html(ContainerElement):
    """HTML <html> element: `web.html(*children, **attributes)`."""

class i(ContainerElement):
    """HTML <i> element: `web.i(*children, **attributes)`."""

class iframe(ContainerElement):
    """HTML <iframe> element: `web.iframe(*children, **attributes)`."""

class ins(ContainerElement):
    """HTML <ins> element: `web.ins(*children, **attributes)`."""

class kbd(ContainerElement):
    """HTML <kbd> element: `web.kbd(*children, **attributes)`."""

class label(ContainerElement):
    """HTML <label> element: `web.label(*children, **attributes)`."""

class legend(ContainerElement):
    """HTML <legend> element: `web.legend(*children, **attributes)`."""

class li(ContainerElement):
    """HTML <li> element: `web.li(*children, **attributes)`."""

class main(ContainerElement):
    """HTML <main> element: `web.main(*children, **attributes)`."""

class map_(ContainerElement):
    """HTML <map> element: `web.map_(*children, **attributes)`."""

class mark(ContainerElement):
    """HTML <mark> element: `web.mark(*children, **attributes)`."""

class menu(ContainerElement):
    """HTML <menu> element: `web.menu(*children, **attributes)`."""

class meta(ContainerElement):
    """HTML <meta> element: `web.meta(*children, **attributes)`."""

class meter(ContainerElement):
    """HTML <meter> element: `web.meter(*children, **attributes)`."""

class nav(ContainerElement):
    """HTML <nav> element: `web.nav(*children, **attributes)`."""

class object_(ContainerElement):
    """HTML <object> element: `web.object_(*children, **attributes)`."""

class ol(ContainerElement):
    """HTML <ol> element: `web.ol(*children, **attributes)`."""

class option(ContainerElement):
    """HTML <option> element: `web.option(*children, **attributes)`."""

class output(ContainerElement):
    """HTML <output> element: `web.output(*children, **attributes)`."""

class p(ContainerElement):
    """HTML <p> element: `web.p(*children, **attributes)`."""

class param(ContainerElement):
    """HTML <param> element: `web.param(*children, **attributes)`."""

class picture(ContainerElement):
    """HTML <picture> element: `web.picture(*children, **attributes)`."""

class pre(ContainerElement):
    """HTML <pre> element: `web.pre(*children, **attributes)`."""

class progress(ContainerElement):
    """HTML <progress> element: `web.progress(*children, **attributes)`."""

class q(ContainerElement):
    """HTML <q> element: `web.q(*children, **attributes)`."""

class s(ContainerElement):
    """HTML <s> element: `web.s(*children, **attributes)`."""

class script(ContainerElement):
    """HTML <script> element: `web.script(*children, **attributes)`."""

class section(ContainerElement):
    """HTML <section> element: `web.section(*children, **attributes)`."""

class small(ContainerElement):
    """HTML <small> element: `web.small(*children, **attributes)`."""

class span(ContainerElement):
    """HTML <span> element: `web.span(*children, **attributes)`."""

class strong(ContainerElement):
    """HTML <strong> element: `web.strong(*children, **attributes)`."""

class style(ContainerElement):
    """HTML <style> element: `web.style(*children, **attributes)`."""

class sub(ContainerElement):
    """HTML <sub> element: `web.sub(*children, **attributes)`."""

class summary(ContainerElement):
    """HTML <summary> element: `web.summary(*children, **attributes)`."""

class sup(ContainerElement):
    """HTML <sup> element: `web.sup(*children, **attributes)`."""

class table(ContainerElement):
    """HTML <table> element: `web.table(*children, **attributes)`."""

class tbody(ContainerElement):
    """HTML <tbody> element: `web.tbody(*children, **attributes)`."""

class td(ContainerElement):
    """HTML <td> element: `web.td(*children, **attributes)`."""

class template(ContainerElement):
    """HTML <template> element: `web.template(*children, **attributes)`."""

class textarea(ContainerElement):
    """HTML <textarea> element: `web.textarea(*children, **attributes)`."""

class tfoot(ContainerElement):
    """HTML <tfoot> element: `web.tfoot(*children, **attributes)`."""

class th(ContainerElement):
    """HTML <th> element: `web.th(*children, **attributes)`."""

class thead(ContainerElement):
    """HTML <thead> element: `web.thead(*children, **attributes)`."""

class time(ContainerElement):
    """HTML <time> element: `web.time(*children, **attributes)`."""

class title(ContainerElement):
    """HTML <title> element: `web.title(*children, **attributes)`."""

class tr(ContainerElement):
    """HTML <tr> element: `web.tr(*children, **attributes)`."""

class u(ContainerElement):
    """HTML <u> element: `web.u(*children, **attributes)`."""

class ul(ContainerElement):
    """HTML <ul> element: `web.ul(*children, **attributes)`."""

class var(ContainerElement):
    """HTML <var> element: `web.var(*children, **attributes)`."""

class wbr(ContainerElement):
    """HTML <wbr> element: `web.wbr(*children, **attributes)`."""

class area(Element):
    """HTML <area> element (no children): `web.area(**attributes)`."""

class base(Element):
    """HTML <base> element (no children): `web.base(**attributes)`."""

class br(Element):
    """HTML <br> element (no children): `web.br(**attributes)`."""

class col(Element):
    """HTML <col> element (no children): `web.col(**attributes)`."""

class embed(Element):
    """HTML <embed> element (no children): `web.embed(**attributes)`."""

class hr(Element):
    """HTML <hr> element (no children): `web.hr(**attributes)`."""

class img(Element):
    """HTML <img> element (no children): `web.img(**attributes)`."""

class input_(Element):
    """HTML <input> element (no children): `web.input_(**attributes)`."""

class link(Element):
    """HTML <link> element (no children): `web.link(**attributes)`."""

class source(Element):
    """HTML <source> element (no children): `web.source(**attributes)`."""

class track(Element):
    """HTML <track> element (no children): `web.track(**attributes)`."""

class Page:
    """The current page: `page["id"]`, `page.find(selector)`, `page.body`, `page.title`."""

    html: Element
    """The <html> element."""
    head: Element
    """The <head> element."""
    body: Element
    """The <body> element."""
    title: str
    """The page's title."""

    def __getitem__(self, key: str) -> Element | None:
        """The element with this id ("#" in front is optional), or None."""
        ...
    def append(self, *items: Any) -> None:
        """Add items to the end of the body."""
        ...
    def find(self, selector: str) -> ElementCollection:
        """The elements that match a CSS selector."""
        ...

page: Page
"""The current page: `page["id"]` finds an element by id, `page.find(".item")` by CSS selector."""

CONTAINER_TAGS: list[str]
VOID_TAGS: list[str]
