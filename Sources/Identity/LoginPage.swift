internal import Foundation
internal import Hummingbird
internal import HTTPTypes
public import Sovereignty

/// The minimal server-rendered sign-in page of `/oauth/authorize`. Every value is escaped, the page
/// refuses framing and loads nothing from elsewhere.
enum LoginPage {
    static func render(parameters: [String: String], regions: [Region], selected: RegionID?, error: String?) -> String {
        let hidden = ["response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state", "scope"]
            .compactMap { name in parameters[name].map { "<input type=\"hidden\" name=\"\(name)\" value=\"\(HTML.escape($0))\">" } }
            .joined(separator: "\n      ")
        let options = regions.map { region in
            let chosen = region.id == selected ? " selected" : ""
            return "<option value=\"\(HTML.escape(region.id.rawValue))\"\(chosen)>\(HTML.escape(region.name))</option>"
        }.joined()
        let message = error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · iWORKZ</title>
            <style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input,select,button{width:100%;padding:.5rem;font-size:1rem}.error{color:#b00020}</style>
            </head><body>
            <h1>Sign in to iWORKZ</h1>
            <p>\(HTML.escape(parameters["client_id"] ?? "")) asks to act for you.</p>
            \(message)
            <form method="post" action="/oauth/authorize">
              \(hidden)
              <label for="region">Home region</label><select id="region" name="home_region">\(options)</select>
              <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
              <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
            </form>
            <p><small>You sign in at your home region; your password never leaves it.</small></p>
            </body></html>
            """
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
