//! Read-only content as escaped HTML text, set with `inner_html`.
//!
//! Lists of cards, guide sections, the print sheet and forms only display data; building them
//! as text costs a fraction of the code that typed view trees would (every distinct view shape
//! is compiled separately). Interactive parts stay Leptos views. Every piece of data goes
//! through [`Html::text`] or [`Html::attr`], which escape it.

/// An HTML fragment under construction.
#[derive(Default)]
pub struct Html(String);

impl Html {
    pub fn new() -> Self {
        Html(String::new())
    }

    pub fn finish(self) -> String {
        self.0
    }

    /// Markup written by us (never data).
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Data as text: `&`, `<`, `>`, `"` and `'` are escaped.
    pub fn text(&mut self, data: &str) -> &mut Self {
        for c in data.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                c => self.0.push(c),
            }
        }
        self
    }

    /// ` name="value"` with the value escaped.
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.raw(" ").raw(name).raw("=\"").text(value).raw("\"")
    }

    /// `<tag class="class">` (no class attribute when `class` is empty).
    pub fn open(&mut self, tag: &str, class: &str) -> &mut Self {
        self.raw("<").raw(tag);
        if !class.is_empty() {
            self.attr("class", class);
        }
        self.raw(">")
    }

    pub fn close(&mut self, tag: &str) -> &mut Self {
        self.raw("</").raw(tag).raw(">")
    }

    /// `<tag class="class">text</tag>`.
    pub fn el(&mut self, tag: &str, class: &str, data: &str) -> &mut Self {
        self.open(tag, class).text(data).close(tag)
    }

    /// `<a class="class" href="href">text</a>`.
    pub fn link(&mut self, href: &str, class: &str, data: &str) -> &mut Self {
        self.raw("<a");
        if !class.is_empty() {
            self.attr("class", class);
        }
        self.attr("href", href).raw(">").text(data).raw("</a>")
    }

    /// `<dt>term</dt><dd>text</dd>`.
    pub fn pair(&mut self, term: &str, data: &str) -> &mut Self {
        self.el("dt", "", term).el("dd", "", data)
    }

    /// Opens `<section class="class" aria-labelledby="id"><h2 id="id">title</h2>`; close it with
    /// `close("section")`.
    pub fn section(&mut self, class: &str, id: &str, title: &str) -> &mut Self {
        self.raw("<section")
            .attr("class", class)
            .attr("aria-labelledby", id)
            .raw("><h2")
            .attr("id", id)
            .raw(">")
            .text(title)
            .raw("</h2>")
    }

    /// A phone number as a `tel:` link.
    pub fn phone(&mut self, number: &str) -> &mut Self {
        self.link(&crate::ui::browser::tel_href(number), "tel", number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_in_text_and_attributes() {
        let mut h = Html::new();
        h.link("/x?a=1&b=\"2\"", "c", "<b>'hi'</b> & bye");
        assert_eq!(
            h.finish(),
            "<a class=\"c\" href=\"/x?a=1&amp;b=&quot;2&quot;\">&lt;b&gt;&#39;hi&#39;&lt;/b&gt; &amp; bye</a>"
        );
    }
}
