import UIKit
import UniformTypeIdentifiers

/// "Share → Lexy Files" on iOS.
///
/// An extension cannot run the Capacitor app, so it only hands over what was shared: files are
/// copied into the App Group's container, and a description of the share is left in the App
/// Group's UserDefaults under the key that @capgo/capacitor-share-target reads. When Lexy Files
/// next becomes active, the plugin emits `shareReceived` with that description and removes it.
///
/// The entry has the plugin's shape: `title` (String), `texts` ([String]: shared text and web
/// links) and `files` ([[String: String]] with `uri` — an absolute path in the container —
/// `name` and `mimeType`). The app deletes a file once it has sent it.
///
/// Share extensions may not open their app, so the sheet says where to go next.
final class ShareViewController: UIViewController {
    /// Key read by CapacitorShareTargetPlugin.checkForSharedContent().
    private static let shareKey = "share-target-data"
    /// Folder inside the App Group container that holds the copied files.
    private static let filesFolder = "ShareExtension"

    private let message = UILabel()
    private let spinner = UIActivityIndicatorView(style: .medium)
    private let doneButton = UIButton(type: .system)

    override func viewDidLoad() {
        super.viewDidLoad()
        layOut()
        Task { await receive() }
    }

    // MARK: - Receiving the share

    private func receive() async {
        guard let appGroup = Bundle.main.object(forInfoDictionaryKey: "LexyAppGroup") as? String,
              let defaults = UserDefaults(suiteName: appGroup),
              let container = FileManager.default.containerURL(forSecurityApplicationGroupIdentifier: appGroup)
        else {
            finish(with: "Lexy Files could not receive this share: its App Group is not set up.")
            return
        }

        let items = extensionContext?.inputItems.compactMap { $0 as? NSExtensionItem } ?? []
        var texts: [String] = []
        var files: [[String: String]] = []
        let folder = container
            .appendingPathComponent(Self.filesFolder, isDirectory: true)
            .appendingPathComponent(UUID().uuidString, isDirectory: true)

        for provider in items.flatMap({ $0.attachments ?? [] }) {
            if let link = await loadWebLink(provider) {
                texts.append(link)
            } else if let text = await loadPlainText(provider) {
                texts.append(text)
            } else if let file = await copyFile(provider, into: folder) {
                files.append(file)
            }
        }

        guard !texts.isEmpty || !files.isEmpty else {
            finish(with: "There was nothing Lexy Files could send in this share.")
            return
        }

        // A share not yet picked up by the app is extended, not replaced, so nothing is lost when
        // the user shares twice before opening Lexy Files.
        let pending = defaults.dictionary(forKey: Self.shareKey) ?? [:]
        let title = items.first?.attributedTitle?.string ?? items.first?.attributedContentText?.string
        let entry: [String: Any] = [
            "title": (pending["title"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? title ?? "",
            "texts": (pending["texts"] as? [String] ?? []) + texts,
            "files": (pending["files"] as? [[String: String]] ?? []) + files,
        ]
        defaults.set(entry, forKey: Self.shareKey)

        let count = texts.count + files.count
        finish(with: count == 1
            ? "Ready to send in Lexy Files. Open Lexy Files to choose where it goes."
            : "\(count) items are ready to send in Lexy Files. Open Lexy Files to choose where they go.")
    }

    /// A web link (Safari, other apps' "share link"), sent on as text like Android's EXTRA_TEXT.
    private func loadWebLink(_ provider: NSItemProvider) async -> String? {
        guard provider.hasItemConformingToTypeIdentifier(UTType.url.identifier),
              !provider.hasItemConformingToTypeIdentifier(UTType.fileURL.identifier)
        else { return nil }
        let item = try? await provider.loadItem(forTypeIdentifier: UTType.url.identifier, options: nil)
        guard let url = item as? URL, !url.isFileURL else { return nil }
        return url.absoluteString
    }

    /// Text that is only text (a selection in Notes or Safari), not a text file.
    private func loadPlainText(_ provider: NSItemProvider) async -> String? {
        let types = provider.registeredTypeIdentifiers.compactMap { UTType($0) }
        guard !types.isEmpty, types.allSatisfy({ $0.conforms(to: .text) }), provider.suggestedName == nil
        else { return nil }
        let item = try? await provider.loadItem(forTypeIdentifier: UTType.plainText.identifier, options: nil)
        if let text = item as? String { return text }
        if let data = item as? Data { return String(data: data, encoding: .utf8) }
        return nil
    }

    /// Copies the attachment's best representation (the first type it registers) into `folder`.
    private func copyFile(_ provider: NSItemProvider, into folder: URL) async -> [String: String]? {
        guard let typeIdentifier = provider.registeredTypeIdentifiers.first(where: {
            UTType($0)?.conforms(to: .data) ?? false
        }) else { return nil }
        let type = UTType(typeIdentifier)
        let suggestedName = provider.suggestedName

        return await withCheckedContinuation { continuation in
            // Runs off the main actor; the system deletes `source` when this handler returns, so
            // it is copied here, with nonisolated helpers only.
            _ = provider.loadFileRepresentation(forTypeIdentifier: typeIdentifier) { source, _ in
                guard let source else {
                    continuation.resume(returning: nil)
                    return
                }
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    let name = Self.fileName(suggested: suggestedName, source: source, type: type)
                    let target = Self.unusedURL(in: folder, for: name)
                    try FileManager.default.copyItem(at: source, to: target)
                    continuation.resume(returning: [
                        "uri": target.path,
                        "name": target.lastPathComponent,
                        "mimeType": type?.preferredMIMEType ?? "application/octet-stream",
                    ])
                } catch {
                    continuation.resume(returning: nil)
                }
            }
        }
    }

    /// The sender's name for the file, with the extension its type implies when it lacks one.
    nonisolated private static func fileName(suggested: String?, source: URL, type: UTType?) -> String {
        let base = suggested.map { $0.replacingOccurrences(of: "/", with: "_") } ?? source.lastPathComponent
        guard (base as NSString).pathExtension.isEmpty,
              let ext = type?.preferredFilenameExtension ?? (source.pathExtension.isEmpty ? nil : source.pathExtension)
        else { return base }
        return "\(base).\(ext)"
    }

    /// Two attachments may carry the same name ("image.jpg"); the second becomes "image 2.jpg".
    nonisolated private static func unusedURL(in folder: URL, for name: String) -> URL {
        let candidate = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: candidate.path) else { return candidate }
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var index = 2
        while true {
            let numbered = ext.isEmpty ? "\(stem) \(index)" : "\(stem) \(index).\(ext)"
            let url = folder.appendingPathComponent(numbered)
            if !FileManager.default.fileExists(atPath: url.path) { return url }
            index += 1
        }
    }

    // MARK: - The sheet

    private func layOut() {
        view.backgroundColor = .systemBackground

        message.text = "Preparing…"
        message.numberOfLines = 0
        message.textAlignment = .center
        message.font = .preferredFont(forTextStyle: .body)
        message.adjustsFontForContentSizeCategory = true

        doneButton.setTitle("Done", for: .normal)
        doneButton.titleLabel?.font = .preferredFont(forTextStyle: .headline)
        doneButton.isHidden = true
        doneButton.addTarget(self, action: #selector(done), for: .touchUpInside)

        spinner.startAnimating()

        let stack = UIStackView(arrangedSubviews: [spinner, message, doneButton])
        stack.axis = .vertical
        stack.spacing = 16
        stack.alignment = .center
        stack.translatesAutoresizingMaskIntoConstraints = false
        view.addSubview(stack)
        NSLayoutConstraint.activate([
            stack.centerYAnchor.constraint(equalTo: view.safeAreaLayoutGuide.centerYAnchor),
            stack.leadingAnchor.constraint(equalTo: view.layoutMarginsGuide.leadingAnchor),
            stack.trailingAnchor.constraint(equalTo: view.layoutMarginsGuide.trailingAnchor),
        ])
    }

    @MainActor
    private func finish(with text: String) {
        spinner.stopAnimating()
        spinner.isHidden = true
        message.text = text
        doneButton.isHidden = false
    }

    @objc private func done() {
        extensionContext?.completeRequest(returningItems: nil)
    }
}
