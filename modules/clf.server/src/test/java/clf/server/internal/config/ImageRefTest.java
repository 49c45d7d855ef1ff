package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRefTest {
    @Test
    void digitsAreAnIdLabelIsASelectorAnythingElseAName() {
        assertEquals(new ImageRef.ById(311467489), ImageRef.parse("311467489"));
        assertEquals(new ImageRef.ByName("ubuntu-24.04"), ImageRef.parse(" ubuntu-24.04 "));
        assertEquals(new ImageRef.ByLabels("role=clf-cattle,arch in (x86)"),
                ImageRef.parse("label: role=clf-cattle,arch in (x86)"));
        assertEquals("label:role=clf-cattle", ImageRef.parse("label:role=clf-cattle").text());
    }

    @Test
    void whatCannotNameAnImageIsRefusedSayingWhatWouldDo() {
        for (String bad : List.of("", "label:", "0", "two words", "-leading-dash")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageRef.parse(bad));
            assertTrue(e.getMessage().contains("an image id (digits), a system image name (e.g. ubuntu-24.04) or "
                    + "label:KEY=VALUE") && e.getMessage().endsWith("got '" + bad + "'"), e.getMessage());
        }
    }
}
