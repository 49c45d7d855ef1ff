package clf.image.probe;

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.Comparator;

/** Run by the image's java: prints "NAME explicit|automatic" for every module in the image. */
public final class ModuleProbe {

    private ModuleProbe() {}

    public static void main(String[] args) {
        ModuleFinder.ofSystem().findAll().stream()
                .map(ModuleReference::descriptor)
                .sorted(Comparator.comparing(d -> d.name()))
                .forEach(d -> System.out.println(d.name() + (d.isAutomatic() ? " automatic" : " explicit")));
    }
}
